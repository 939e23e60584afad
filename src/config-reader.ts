/** Reads settings from the environment and collects every problem, so start-up names them all. */

export type Env = Readonly<Record<string, string | undefined>>;

export class Reader {
  readonly problems: string[] = [];
  constructor(private readonly env: Env) {}

  get(name: string): string | undefined {
    const v = this.env[name]?.trim();
    return v === '' ? undefined : v;
  }

  require(name: string, what: string): string {
    const v = this.get(name);
    if (v === undefined) this.problems.push(`${name} is missing (${what}).`);
    return v ?? '';
  }

  /** Checks a secret's shape without ever repeating its value. */
  token(name: string, prefix: string, what: string, required: boolean): string | undefined {
    const v = required ? this.require(name, what) : this.get(name);
    if (v && !v.startsWith(prefix)) this.problems.push(`${name} does not look like ${what} (it should start with ${prefix}).`);
    return v;
  }

  list(name: string): string[] {
    return (this.get(name) ?? '').split(',').map((s) => s.trim()).filter((s) => s !== '');
  }

  check(ok: boolean, problem: string): void {
    if (!ok) this.problems.push(problem);
  }
}
