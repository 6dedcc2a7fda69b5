/** Base class of the errors the emulator throws at its caller (never sent over HTTP). */
export class EmulatorError extends Error {
  readonly code: string;
  constructor(code: string, message: string) {
    super(message);
    this.name = new.target.name;
    this.code = code;
  }
}

/** A fault rule or fault string that cannot be used; the message names the bad part and the valid forms. */
export class FaultSpecError extends EmulatorError {
  constructor(message: string) {
    super("invalid-fault", message);
  }
}

/** An option or config file value that cannot be used; the message names the option. */
export class EmulatorConfigError extends EmulatorError {
  constructor(message: string) {
    super("invalid-config", message);
  }
}
