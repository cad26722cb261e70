import { type Clock, ConfigError, systemClock } from '../../core/index.js';
import { isItsmType, type ItsmSystemType } from '../catalog.js';
import type { Actor, ConnectionRecord } from '../connection.js';
import { DataSourceError } from '../errors.js';
import type { ConnectionStore, DelegationRecord, DelegationStore } from '../ports.js';
import { parseVerifyInput, type VerifyInput } from '../requests.js';
import { isStorableText } from '../storable.js';
import { missingStore, type ConnectionService, type VerifyStarted } from './service.js';

/** Options of a {@link CredentialDelegationService}. */
export interface CredentialDelegationServiceOptions {
  /** Used to check `connectionId` when one is given, and to find the connection a redeemed invitation is for. */
  readonly connections: ConnectionStore;
  /** Where delegations live: `MemoryDelegationStore` for tests and the sandbox, `PostgresDelegationStore` in production. */
  readonly store: DelegationStore;
  /**
   * Sends a redeemed invitation's credentials to the external service (its
   * `verify`). {@link CredentialDelegationService.validateCredentials} needs it.
   */
  readonly service?: Pick<ConnectionService, 'verify'>;
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

/** The error text for a missing or wrong `itsm_system_type`. */
export const INVALID_ITSM_SYSTEM_TYPE = 'itsm_system_type is required and must be one of: servicenow_itsm, jira';

/** The outcome of {@link CredentialDelegationService.validateCredentials}. */
export interface RedeemResult {
  /** The delegation, now `used`. */
  readonly delegation: DelegationRecord;
  /** The verification the credentials started; its result arrives as a status message. */
  readonly verification: VerifyStarted;
}

/**
 * Credential delegations: an organization member invites someone (an ITSM
 * admin) to enter the credentials of an ITSM connection. Only
 * `servicenow_itsm` and `jira` are accepted. The invitation token is returned
 * once and only its SHA-256 is stored; redeeming it
 * ({@link validateCredentials}) hands the delegate's credentials to the
 * external service and marks the invitation `used`.
 */
export class CredentialDelegationService {
  readonly store: DelegationStore;
  private readonly connections: ConnectionStore;
  private readonly service: Pick<ConnectionService, 'verify'> | undefined;
  private readonly clock: Clock;
  private readonly ttlMs: number;
  private readonly newId: () => string;

  constructor(options: CredentialDelegationServiceOptions) {
    if (options.store === undefined) throw missingStore('CredentialDelegationService');
    this.connections = options.connections;
    this.store = options.store;
    this.service = options.service;
    this.clock = options.clock ?? systemClock;
    this.ttlMs = (options.ttlHours ?? 168) * 3_600_000;
    this.newId = options.newId ?? (() => crypto.randomUUID());
  }

  /** Creates an invitation; returns the record and its token (show it once, e.g. in an invitation link). */
  async create(actor: Actor, input: CreateDelegationInput): Promise<{ delegation: DelegationRecord; token: string }> {
    const type = input.itsm_system_type;
    if (!isItsmType(type)) throw new DataSourceError(INVALID_ITSM_SYSTEM_TYPE, { code: 'invalid_itsm_system_type', title: INVALID_ITSM_SYSTEM_TYPE });
    const email = input.delegate_email;
    if (typeof email !== 'string' || email.length > 320 || !/^[^\s@]+@[^\s@]+$/.test(email) || !isStorableText(email)) {
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
      usedAt: null,
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
    if (current.status === 'used') throw new DataSourceError('Delegation was already used and cannot be revoked', { code: 'delegation_used', title: 'Delegation already used' });
    const next: DelegationRecord = { ...current, status: 'revoked', revokedAt: new Date(this.clock.now()).toISOString() };
    if (await this.store.update(next, 'pending')) return next;
    // Redeemed or revoked in the meantime: answer with what it is now.
    return this.revoke(actor, id);
  }

  /**
   * Redeems an invitation: the delegate's `token` and the credentials they
   * entered. The invitation must be pending and unexpired; it is marked
   * `used` (one step, so a second redeem of the same token is refused with
   * `delegation_used` even when both run at once), then the credentials go to
   * the external service as a verification of the invitation's connection,
   * acting as the member who invited. If sending them fails, the invitation
   * is pending again and the error is thrown; nothing else changed.
   *
   * Refusals (`DataSourceError`): `not_found` (no such token, or its
   * connection is gone), `delegation_expired`, `delegation_revoked`,
   * `delegation_used`, `invalid_request` (bad body). The token and the
   * credentials never appear in an error.
   */
  async validateCredentials(token: string, input: VerifyInput): Promise<RedeemResult> {
    const service = this.service;
    if (service === undefined) {
      throw new ConfigError('CredentialDelegationService needs a service to redeem invitations', [{ field: 'service', rule: 'required', message: 'pass the ConnectionService that sends verifications' }]);
    }
    const body = parseVerifyInput(input);
    if (typeof token !== 'string' || token.length === 0 || token.length > 512) {
      throw new DataSourceError('token is required', { code: 'invalid_request', title: 'Invalid request', issues: [{ field: 'token', rule: 'required', message: 'the invitation token is required' }] });
    }
    const found = await this.store.findByTokenHash(await sha256Hex(token));
    if (!found) throw delegationNotFound();
    const delegation = this.usable(found);
    const connection = await this.connectionOf(delegation);
    const usedAt = new Date(this.clock.now()).toISOString();
    const used: DelegationRecord = { ...delegation, status: 'used', usedAt };
    if (!(await this.store.update(used, 'pending'))) {
      // Another redeem or a revoke won: refuse with what it is now.
      this.usable((await this.store.get(delegation.organizationId, delegation.id)) ?? { ...delegation, status: 'used' });
      throw new DataSourceError('The invitation changed while it was being redeemed; try again', { code: 'conflict', title: 'Conflict' });
    }
    const actor: Actor = { userId: delegation.createdBy, userEmail: delegation.delegateEmail, organizationId: delegation.organizationId, role: 'delegate' };
    try {
      const verification = await service.verify(actor, connection.id, body);
      return { delegation: used, verification };
    } catch (error) {
      await this.store.update({ ...delegation, status: 'pending', usedAt: null }, 'used');
      throw error;
    }
  }

  /** The delegation when it can still be redeemed; the typed refusal otherwise. */
  private usable(delegation: DelegationRecord): DelegationRecord {
    if (delegation.status === 'used') throw new DataSourceError('This invitation was already used', { code: 'delegation_used', title: 'Delegation already used' });
    if (delegation.status === 'revoked') throw new DataSourceError('This invitation was revoked', { code: 'delegation_revoked', title: 'Delegation revoked' });
    if (Date.parse(delegation.expiresAt) <= this.clock.now()) throw new DataSourceError('This invitation has expired', { code: 'delegation_expired', title: 'Delegation expired' });
    return delegation;
  }

  /** The connection an invitation is for: the one it names, else the organization's connection of its type. */
  private async connectionOf(delegation: DelegationRecord): Promise<ConnectionRecord> {
    const connection =
      delegation.connectionId === null
        ? (await this.connections.list(delegation.organizationId, { type: delegation.itsmSystemType }))[0]
        : await this.connections.get(delegation.organizationId, delegation.connectionId);
    if (!connection) throw new DataSourceError(`The invitation's ${delegation.itsmSystemType} connection does not exist`, { code: 'not_found', title: 'Not found' });
    return connection;
  }
}

function delegationNotFound(): DataSourceError {
  return new DataSourceError('Invitation not found', { code: 'not_found', title: 'Not found' });
}

function randomToken(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(32));
  return btoa(String.fromCharCode(...bytes)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

async function sha256Hex(text: string): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text)));
  return Array.from(digest, (b) => b.toString(16).padStart(2, '0')).join('');
}
