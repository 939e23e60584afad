/**
 * Which state version each Slack message last showed. Renders claim their version before
 * sending, so an older render never replaces a newer one, across replicas too.
 */
export interface ShownVersions {
  /** True (and claimed) unless a render of a newer version of `message` was claimed before. */
  claim(incidentId: string, message: string, version: number): Promise<boolean>;
  /** The newest version claimed for `message`, if any. */
  latest(incidentId: string, message: string): Promise<number | undefined>;
}
