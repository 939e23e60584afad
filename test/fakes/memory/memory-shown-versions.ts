/** `ShownVersions` in memory, on the `MemoryTable`: a claim succeeds unless a newer version was claimed. */
import type { ShownVersions } from '../../../src/ports/shown-versions.js';
import { Faults } from './faults.js';
import { MemoryTable } from './memory-table.js';

export class MemoryShownVersions implements ShownVersions {
  readonly faults = new Faults<keyof ShownVersions & string>();

  constructor(readonly table: MemoryTable = new MemoryTable()) {}

  async claim(incidentId: string, message: string, version: number): Promise<boolean> {
    await this.faults.enter('claim', [incidentId, message, version]);
    const key = `${incidentId}#${message}`;
    const shown = this.table.shown.get(key);
    if (shown !== undefined && shown > version) return false;
    this.table.shown.set(key, version);
    return true;
  }

  async latest(incidentId: string, message: string): Promise<number | undefined> {
    await this.faults.enter('latest', [incidentId, message]);
    return this.table.shown.get(`${incidentId}#${message}`);
  }
}
