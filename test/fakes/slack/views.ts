import type { FakeSlackIdentity, JsonObject, StoredView } from './types.js';
import { SlackApiError } from './types.js';
import { isObject } from './http-io.js';

/** Modals opened through `views.open` and changed through `views.update`. */
export class ViewRegistry {
  private readonly views = new Map<string, StoredView>();
  private counter = 0;
  private hashCounter = 0;

  constructor(private readonly identity: FakeSlackIdentity) {}

  /** All views opened so far, in order. */
  get all(): StoredView[] {
    return [...this.views.values()];
  }

  /** Opens a modal; Slack needs a trigger id (valid 3 s after an interaction) and a view. */
  open(triggerId: unknown, view: unknown): StoredView {
    if (typeof triggerId !== 'string' || triggerId === '') throw new SlackApiError('invalid_trigger_id');
    const definition = this.validView(view);
    const externalId = typeof definition.external_id === 'string' ? definition.external_id : undefined;
    if (externalId !== undefined && this.findByExternalId(externalId) !== undefined) {
      throw new SlackApiError('duplicate_external_id');
    }
    this.counter += 1;
    const stored: StoredView = {
      id: `V${String(this.counter).padStart(10, '0')}`,
      externalId,
      triggerId,
      view: definition,
      hash: this.nextHash(),
      history: [],
    };
    this.views.set(stored.id, stored);
    return stored;
  }

  /** Replaces a view found by `view_id` or `external_id`, honouring the optional `hash` guard. */
  update(params: { viewId: unknown; externalId: unknown; hash: unknown; view: unknown }): StoredView {
    const definition = this.validView(params.view);
    const stored = this.find(params.viewId, params.externalId);
    // The hash guards against overwriting a view changed since the caller read it.
    if (typeof params.hash === 'string' && params.hash !== stored.hash) throw new SlackApiError('hash_conflict');
    stored.history.push(stored.view);
    stored.view = definition;
    stored.hash = this.nextHash();
    return stored;
  }

  /** The view object Slack answers, with its ids, state and hash. */
  toJson(stored: StoredView): JsonObject {
    return {
      id: stored.id,
      team_id: this.identity.teamId,
      type: stored.view.type,
      blocks: stored.view.blocks ?? [],
      private_metadata: stored.view.private_metadata ?? '',
      callback_id: stored.view.callback_id ?? '',
      title: stored.view.title,
      submit: stored.view.submit ?? null,
      close: stored.view.close ?? null,
      state: { values: {} },
      hash: stored.hash,
      clear_on_close: stored.view.clear_on_close ?? false,
      notify_on_close: stored.view.notify_on_close ?? false,
      root_view_id: stored.id,
      previous_view_id: null,
      app_id: this.identity.appId,
      external_id: stored.externalId ?? '',
      app_installed_team_id: this.identity.teamId,
      bot_id: this.identity.botId,
    };
  }

  private find(viewId: unknown, externalId: unknown): StoredView {
    const stored =
      typeof viewId === 'string' ? this.views.get(viewId) : typeof externalId === 'string' ? this.findByExternalId(externalId) : undefined;
    if (stored === undefined) throw new SlackApiError('not_found');
    return stored;
  }

  private findByExternalId(externalId: string): StoredView | undefined {
    return this.all.find((view) => view.externalId === externalId);
  }

  private validView(view: unknown): JsonObject {
    if (!isObject(view) || typeof view.type !== 'string') throw new SlackApiError('invalid_arguments');
    return view;
  }

  /** A new state hash, shaped like Slack's ("156772938.1827394"). */
  private nextHash(): string {
    this.hashCounter += 1;
    return `${Math.floor(Date.now() / 1000)}.${String(this.hashCounter).padStart(7, '0')}`;
  }
}
