/** Fresh identifiers. */
export interface IdSource {
  /** A readable incident id such as `KI-7F3A9C`. */
  incidentId(): string;
  /** A ULID for a timeline event. */
  eventId(): string;
}
