export { EmulatorConfigError, EmulatorError, FaultSpecError } from "./errors.js";
export { formatFaults, parseFaults } from "./faults.js";
export { startEmulator } from "./server.js";
export type {
  Emulator,
  EmulatorOptions,
  FaultKind,
  FaultOperation,
  FaultRule,
  InstanceConfig,
  ServedRequest,
} from "./types.js";
