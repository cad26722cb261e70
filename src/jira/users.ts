import { AmbiguousMatchError, callFields, type CallOptions, NoMatchError, type RequestSpec, TtlCache, ValidationError } from '../core/index.js';
import type { JiraContext } from './context.js';
import { decodeUsers } from './decoders.js';

/** A Jira Cloud account, as the user search returns it. */
export interface JiraCloudAccount {
  readonly deployment: 'cloud';
  /** How issue fields reference the user (`assigneeAccountId`): the account id. */
  readonly id: string;
  /** The account id, the same across Atlassian products (`5b10ac8d82e05b22cc7d4ef5`). */
  readonly accountId: string;
  /** `atlassian` (a person), `app` (an integration or bot) or `customer` (a Jira Service Management customer). */
  readonly accountType: string | undefined;
  readonly displayName: string | undefined;
  /** `undefined` when the person's profile visibility hides it (Jira still matches a search on it). */
  readonly emailAddress: string | undefined;
  readonly active: boolean;
  /** The user exactly as Jira sent it. */
  readonly raw: unknown;
  /** Data Center only. */
  readonly key?: never;
  /** Data Center only. */
  readonly name?: never;
}

/** A Jira Data Center user, as the user search returns it. */
export interface JiraDataCenterAccount {
  readonly deployment: 'datacenter';
  /** How issue fields reference the user (`assigneeAccountId`): the user name. */
  readonly id: string;
  /** The user key, which stays when the user is renamed (`JIRAUSER10100`). */
  readonly key: string;
  /** The user name (the login, `sam.lee`). */
  readonly name: string;
  readonly displayName: string | undefined;
  readonly emailAddress: string | undefined;
  readonly active: boolean;
  /** The user exactly as Jira sent it. */
  readonly raw: unknown;
  /** Cloud only. */
  readonly accountId?: never;
  /** Cloud only. */
  readonly accountType?: never;
}

/**
 * A user a search found: a Cloud account or a Data Center user, told apart by
 * `deployment`. `id` is what issue fields take on either; the other
 * deployment's identifiers read as `undefined` (`user.accountId` is
 * `string | undefined` until narrowed).
 */
export type JiraAccount = JiraCloudAccount | JiraDataCenterAccount;

/** Options of {@link JiraUsers.find}, with the per-call ones ({@link CallOptions}). */
export interface FindUsersOptions extends CallOptions {
  /** Users returned at most (Jira's `maxResults`: up to 1000 on Cloud, 100 on Data Center). @default 50 */
  readonly limit?: number;
}

/** Users read to pick one in {@link JiraUsers.resolve}; several are named in the error when it cannot. */
const CANDIDATES = 50;

const str = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);

/**
 * Users: find the account behind an email address or a name, so an assignee
 * can be given the way people know them. Get it as `jira.users`. Cloud
 * searches `GET /rest/api/3/user/search?query=`, Data Center
 * `GET /rest/api/2/user/search?username=`; both match prefixes of the display
 * name, the email address (and on Data Center the user name) and return
 * active users. Answers of {@link resolve} are cached per client for
 * `userCacheTtlMs` (only answers, never failures).
 *
 * @example
 * const sam = await jira.users.resolve('sam.lee@example.com');
 * await jira.issues.update('OPS-1', { assigneeAccountId: sam.id }); // the account id on Cloud, the user name on Data Center
 */
export class JiraUsers {
  private readonly cache: TtlCache<JiraAccount>;

  /** @internal */
  constructor(
    private readonly ctx: JiraContext,
    cacheTtlMs: number,
  ) {
    this.cache = new TtlCache(cacheTtlMs, ctx.clock);
  }

  /**
   * The users Jira's search matches with `query` (a prefix of a display name
   * or an email address; on Data Center also of a user name), as Jira orders
   * them: one page of at most `limit`, apps and customers included. Not cached.
   */
  async find(query: string, options: FindUsersOptions = {}): Promise<JiraAccount[]> {
    const wanted = checkQuery(query);
    const limit = options.limit ?? CANDIDATES;
    if (!Number.isInteger(limit) || limit < 1) throw new ValidationError('Invalid user search', [{ field: 'limit', rule: 'min', message: 'must be a whole number, 1 or more' }]);
    const cloud = this.ctx.deployment === 'cloud';
    const spec: RequestSpec = {
      method: 'GET',
      path: `${this.ctx.api}/user/search`,
      query: { [cloud ? 'query' : 'username']: wanted, maxResults: limit },
      operation: 'jira.user.search',
      ...callFields(options),
    };
    const users = decodeUsers(await this.ctx.send(spec), this.ctx.where(spec), cloud ? ['accountId'] : ['key', 'name']);
    return users.map((raw) => (cloud ? cloudAccount(raw) : dataCenterAccount(raw)));
  }

  /**
   * The one active person `emailOrQuery` names: among the active users (on
   * Cloud, `atlassian` accounts: no apps or customers) the search finds, the
   * one whose email address, display name (or Data Center user name) equals
   * it, case-insensitively, or else the only one found. An email address
   * never resolves to a user whose visible address differs (Jira matches
   * prefixes); a hidden address cannot be checked, so a single user with a
   * hidden address is taken. Nobody is a {@link NoMatchError}, several an
   * {@link AmbiguousMatchError} naming them. Cached per client for `userCacheTtlMs`.
   */
  async resolve(emailOrQuery: string, options: CallOptions = {}): Promise<JiraAccount> {
    const wanted = checkQuery(emailOrQuery);
    return this.cache.get(wanted.toLowerCase(), async () => pick(wanted, await this.find(wanted, { ...callFields(options), limit: CANDIDATES })));
  }

  /** Forgets cached answers of {@link resolve}: one query's, or all of them. */
  forget(emailOrQuery?: string): void {
    this.cache.clear(emailOrQuery === undefined ? undefined : emailOrQuery.trim().toLowerCase());
  }
}

function checkQuery(query: unknown): string {
  if (typeof query !== 'string' || query.trim() === '') {
    throw new ValidationError('Invalid user search', [{ field: 'query', rule: 'required', message: 'must be an email address or a name' }]);
  }
  return query.trim();
}

function cloudAccount(raw: Record<string, unknown>): JiraCloudAccount {
  const accountId = String(raw['accountId']);
  return {
    deployment: 'cloud',
    id: accountId,
    accountId,
    accountType: str(raw['accountType']),
    displayName: str(raw['displayName']),
    emailAddress: str(raw['emailAddress']) || undefined,
    active: raw['active'] === true,
    raw,
  };
}

function dataCenterAccount(raw: Record<string, unknown>): JiraDataCenterAccount {
  const name = String(raw['name']);
  return {
    deployment: 'datacenter',
    id: name,
    key: String(raw['key']),
    name,
    displayName: str(raw['displayName']),
    emailAddress: str(raw['emailAddress']) || undefined,
    active: raw['active'] === true,
    raw,
  };
}

/** An active person: on Cloud an `atlassian` account (apps and service-desk customers cannot take issues). */
const isActivePerson = (u: JiraAccount): boolean => u.active && (u.deployment === 'datacenter' || u.accountType === 'atlassian');

const same = (a: string | undefined, b: string): boolean => a !== undefined && a.toLowerCase() === b.toLowerCase();

function describe(u: JiraAccount): string {
  const login = u.deployment === 'datacenter' ? ` user name ${u.name}` : '';
  return `${u.displayName ?? ''} <${u.emailAddress ?? 'email hidden'}>${login}`;
}

/** The one user of a search's answer that `wanted` names (see {@link JiraUsers.resolve}). */
function pick(wanted: string, found: readonly JiraAccount[]): JiraAccount {
  const isEmail = wanted.includes('@');
  // Jira matches prefixes: an address that is visible and differs is someone else.
  const people = found.filter((u) => isActivePerson(u) && !(isEmail && u.emailAddress !== undefined && !same(u.emailAddress, wanted)));
  const exact = people.filter((u) => same(u.emailAddress, wanted) || same(u.displayName, wanted) || (u.deployment === 'datacenter' && same(u.name, wanted)));
  const [only] = exact.length === 1 ? exact : people.length === 1 ? people : [];
  if (only) return only;
  const init = { platform: 'jira' as const, what: 'active user', query: wanted };
  if (people.length === 0) {
    const others = found.length ? `; ${found.length} matched but ${found.length === 1 ? 'is' : 'are'} inactive, not a person (an app or a customer) or another address` : '';
    throw new NoMatchError({ ...init, hint: `check the address or name (Jira matches the start of display names, email addresses and user names of active users)${others}, or list them with users.find()` });
  }
  const candidates = (exact.length > 1 ? exact : people).map((u) => ({ id: u.id, label: describe(u) }));
  throw new AmbiguousMatchError({ ...init, hint: 'pass the full email address or display name, or pick one with users.find()', candidates });
}
