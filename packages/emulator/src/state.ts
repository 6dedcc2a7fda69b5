import type { RunLog } from "@org/dcs-redislog-types";
import type { LogFileSpec } from "./log-content.js";
import { uuidFrom } from "./random.js";
import type { InstanceConfig } from "./types.js";

/** One run log file as DCS lists it, plus what the emulator needs to serve it. */
export interface RunLogRecord {
  id: string;
  instanceId: string;
  replicationId: string;
  replicationIp: string;
  groupName: string;
  day: string;
  fileName: string;
  /** When the collection that made it was started / is done, epoch ms. */
  startedAt: number;
  readyAt: number;
  /** Object key of the file in the link "bucket". */
  objectKey: string;
  file: LogFileSpec;
}

interface InstanceState {
  config: InstanceConfig;
  index: number;
  busyUntil: number;
  logs: RunLogRecord[];
}

export type CollectResult = { ok: true } | { ok: false; reason: "busy" };

function isoDay(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/** Instances and their collected logs. Status follows the clock, so no timers are needed. */
export class EmulatorState {
  readonly #instances = new Map<string, InstanceState>();
  /** Object key → record, for downloads; kept when a later collection replaces the listed record. */
  readonly #objects = new Map<string, RunLogRecord>();
  readonly #seed: number;
  readonly #logSize: number;
  #collections = 0;

  constructor(instances: readonly InstanceConfig[], seed: number, logSize: number) {
    this.#seed = seed;
    this.#logSize = logSize;
    instances.forEach((config, index) => {
      this.#instances.set(config.id, { config, index, busyUntil: 0, logs: [] });
    });
  }

  instance(id: string): InstanceConfig | undefined {
    return this.#instances.get(id)?.config;
  }

  /** Replica IP: one subnet per instance, one address per replica. */
  replicationIp(instanceIndex: number, replicaIndex: number): string {
    return `192.168.${instanceIndex % 250}.${(142 + replicaIndex) % 254}`;
  }

  /**
   * Starts a collection of the last `days` days for the given replicas; its files are listed at once as
   * `collecting` and become `succeed` after `delayMs`. A file of the same replica and day replaces the old one
   * in the list.
   */
  collect(
    instanceId: string,
    replicationIds: readonly string[],
    days: number,
    now: number,
    delayMs: number,
  ): CollectResult {
    const instance = this.#instances.get(instanceId);
    if (!instance) throw new Error(`unknown instance ${instanceId}`);
    if (now < instance.busyUntil) return { ok: false, reason: "busy" };
    instance.busyUntil = now + delayMs;
    const collection = ++this.#collections;
    const fresh: RunLogRecord[] = [];
    for (let d = 0; d < days; d++) {
      const day = isoDay(now - d * 86_400_000);
      for (const replicationId of replicationIds) {
        const replicaIndex = instance.config.replicationIds.indexOf(replicationId);
        const ip = this.replicationIp(instance.index, replicaIndex);
        const id = uuidFrom(this.#seed, instanceId, replicationId, day, collection);
        const fileName = `redis_${ip}_${day}.log`;
        const record: RunLogRecord = {
          id,
          instanceId,
          replicationId,
          replicationIp: ip,
          groupName: instance.config.type === "cluster" ? `group-${replicaIndex}` : "group-0",
          day,
          fileName,
          startedAt: now,
          readyAt: now + delayMs,
          objectKey: `${instanceId}/${id}/${fileName}`,
          file: {
            seed: this.#seed,
            key: `${instanceId}/${replicationId}/${day}`,
            size: this.#logSize,
            day,
            ip,
          },
        };
        fresh.push(record);
        this.#objects.set(record.objectKey, record);
      }
    }
    const replaced = new Set(fresh.map((r) => `${r.replicationId}/${r.day}`));
    instance.logs = [...fresh, ...instance.logs.filter((r) => !replaced.has(`${r.replicationId}/${r.day}`))];
    return { ok: true };
  }

  /** The listed files of an instance, newest collection first. */
  list(instanceId: string, now: number): RunLog[] {
    const instance = this.#instances.get(instanceId);
    if (!instance) return [];
    return instance.logs.map((r) => ({
      id: r.id,
      file_name: r.fileName,
      group_name: r.groupName,
      replication_ip: r.replicationIp,
      status: now >= r.readyAt ? "succeed" : "collecting",
      time: r.day,
      backup_id: r.id,
    }));
  }

  findLog(instanceId: string, logId: string): RunLogRecord | undefined {
    return this.#instances.get(instanceId)?.logs.find((r) => r.id === logId);
  }

  findObject(key: string): RunLogRecord | undefined {
    return this.#objects.get(key);
  }
}
