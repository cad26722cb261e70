import type { Clock } from '../core/clock.js';
import { systemClock } from '../core/clock.js';
import { isItsmType, type ItsmSystemType } from './catalog.js';
import type { Actor } from './connection.js';
import { DataSourceError } from './errors.js';
import { MemoryDelegationStore } from './memory-delegation-store.js';
import type { ConnectionStore, DelegationRecord, DelegationStore } from './ports.js';

/** Options of a {@link CredentialDelegationService}. */
export interface CredentialDelegationServiceOptions {
  /** Used to check `connectionId` when one is given. */
  readonly connections: ConnectionStore;
  /** @default new MemoryDelegationStore() */
  readonly store?: DelegationStore;
  /** @default systemClock */
  readonly clock?: Clock;
  /** How long an invitation stays valid, in hours. @default 168 (7 days) */
  readonly ttlHours?: number;
  /** @default crypto.randomUUID */
  readonly newId?: () => string;
}

/** The body of a delegation creation (wire names, as the API receives it). */
export interface CreateDelegationInput {
  readonly itsm_system_type?: unknown;
  readonly delegate_email?: unknown;
  readonly connection_id?: unknown;
}

/** Seed 000's error text for a missing or wrong `itsm_system_type`. */
export const INVALID_ITSM_SYSTEM_TYPE = 'itsm_system_type is required and must be one of: servicenow_itsm, jira';

/**
 * Credential delegations (seed 000): an organization member invites someone
 * (an ITSM admin) to enter the credentials of an ITSM connection. Only
 * `servicenow_itsm` and `jira` are accepted. The invitation token is returned
 * once and only its SHA-256 is stored.
 */
export class CredentialDelegationService {
  readonly store: DelegationStore;
  private readonly connections: ConnectionStore;
  private readonly clock: Clock;
  private readonly ttlMs: number;
  private readonly newId: () => string;

  constructor(options: CredentialDelegationServiceOptions) {
    this.connections = options.connections;
    this.store = options.store ?? new MemoryDelegationStore();
    this.clock = options.clock ?? systemClock;
    this.ttlMs = (options.ttlHours ?? 168) * 3_600_000;
    this.newId = options.newId ?? (() => crypto.randomUUID());
  }

  /** Creates an invitation; returns the record and its token (show it once, e.g. in an invitation link). */
  async create(actor: Actor, input: CreateDelegationInput): Promise<{ delegation: DelegationRecord; token: string }> {
    const type = input.itsm_system_type;
    if (!isItsmType(type)) throw new DataSourceError(INVALID_ITSM_SYSTEM_TYPE, { code: 'invalid_itsm_system_type', title: INVALID_ITSM_SYSTEM_TYPE });
    const email = input.delegate_email;
    if (typeof email !== 'string' || !/^[^\s@]+@[^\s@]+$/.test(email)) {
      throw new DataSourceError('delegate_email must be an email address', { code: 'invalid_request', title: 'Invalid request' });
    }
    let connectionId: string | null = null;
    if (input.connection_id !== undefined && input.connection_id !== null) {
      const connection = typeof input.connection_id === 'string' ? await this.connections.get(actor.organizationId, input.connection_id) : undefined;
      if (!connection || connection.type !== type) {
        throw new DataSourceError(`connection_id must name a ${type} connection of this organization`, { code: 'invalid_request', title: 'Invalid request' });
      }
      connectionId = connection.id;
    }
    const token = randomToken();
    const now = this.clock.now();
    const delegation: DelegationRecord = {
      id: this.newId(),
      organizationId: actor.organizationId,
      itsmSystemType: type as ItsmSystemType,
      delegateEmail: email,
      connectionId,
      tokenHash: await sha256Hex(token),
      status: 'pending',
      createdBy: actor.userId,
      createdAt: new Date(now).toISOString(),
      expiresAt: new Date(now + this.ttlMs).toISOString(),
      revokedAt: null,
    };
    await this.store.insert(delegation);
    return { delegation, token };
  }

  /** The organization's delegations, optionally of one ITSM type (an unknown type is refused). */
  async list(actor: Actor, filter: { readonly itsmSystemType?: string | undefined } = {}): Promise<DelegationRecord[]> {
    if (filter.itsmSystemType !== undefined && !isItsmType(filter.itsmSystemType)) {
      throw new DataSourceError(INVALID_ITSM_SYSTEM_TYPE, { code: 'invalid_itsm_system_type', title: INVALID_ITSM_SYSTEM_TYPE });
    }
    return this.store.list(actor.organizationId, { itsmSystemType: filter.itsmSystemType });
  }

  /** Revokes an invitation (idempotent). */
  async revoke(actor: Actor, id: string): Promise<DelegationRecord> {
    const current = await this.store.get(actor.organizationId, id);
    if (!current) throw new DataSourceError('Delegation not found', { code: 'not_found', title: 'Not found' });
    if (current.status === 'revoked') return current;
    const next: DelegationRecord = { ...current, status: 'revoked', revokedAt: new Date(this.clock.now()).toISOString() };
    await this.store.update(next);
    return next;
  }
}

function randomToken(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(32));
  return btoa(String.fromCharCode(...bytes)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

async function sha256Hex(text: string): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text)));
  return Array.from(digest, (b) => b.toString(16).padStart(2, '0')).join('');
}
