/** A registered OAuth client of the fake instance. */
export interface FakeOAuthClient {
  readonly clientId: string;
  readonly clientSecret: string;
}

interface Issued {
  readonly userName: string;
  readonly expiresAt: number;
}

/** What the token endpoint answers: a status and a JSON body. */
export interface TokenAnswer {
  readonly status: number;
  readonly body: Record<string, unknown>;
}

const DENIED: TokenAnswer = { status: 401, body: { error_description: 'access_denied', error: 'server_error' } };

/**
 * The fake `/oauth_token.do`: password, client_credentials and refresh_token
 * grants, form-encoded bodies only. The password grant returns an access and
 * a refresh token; the other two an access token only.
 */
export class FakeTokenIssuer {
  /** Token requests answered so far (successful or not). */
  requests = 0;
  private readonly access = new Map<string, Issued>();
  private readonly refresh = new Map<string, { clientId: string; userName: string }>();

  constructor(
    private readonly clients: readonly FakeOAuthClient[],
    private readonly checkUser: (userName: string, password: string) => boolean,
    private readonly now: () => number,
    /** Access-token lifetime in seconds. */
    readonly ttlSeconds: number,
  ) {}

  /** Answers one token request. */
  grant(contentType: string, body: string): TokenAnswer {
    this.requests++;
    if (!/application\/x-www-form-urlencoded/i.test(contentType)) {
      return { status: 400, body: { error: 'invalid_request', error_description: 'The token endpoint takes application/x-www-form-urlencoded bodies only' } };
    }
    const form = new URLSearchParams(body);
    const client = this.clients.find((c) => c.clientId === form.get('client_id') && c.clientSecret === form.get('client_secret'));
    if (!client) return DENIED;
    switch (form.get('grant_type')) {
      case 'password': {
        const user = form.get('username') ?? '';
        if (!this.checkUser(user, form.get('password') ?? '')) return DENIED;
        const refreshToken = token();
        this.refresh.set(refreshToken, { clientId: client.clientId, userName: user });
        return { status: 200, body: { ...this.issue(user), refresh_token: refreshToken } };
      }
      case 'client_credentials':
        return { status: 200, body: this.issue(`oauth.${client.clientId}`) };
      case 'refresh_token': {
        const known = this.refresh.get(form.get('refresh_token') ?? '');
        if (!known || known.clientId !== client.clientId) return DENIED;
        return { status: 200, body: this.issue(known.userName) };
      }
      default:
        return { status: 400, body: { error: 'unsupported_grant_type', error_description: 'Unsupported grant type' } };
    }
  }

  /** Registers a refresh token as if issued earlier (for the refresh_token grant). */
  addRefreshToken(refreshToken: string, clientId: string, userName = 'admin'): void {
    this.refresh.set(refreshToken, { clientId, userName });
  }

  /** The user an access token belongs to, if it is valid now. */
  userFor(accessToken: string): string | undefined {
    const issued = this.access.get(accessToken);
    return issued && issued.expiresAt > this.now() ? issued.userName : undefined;
  }

  /** Invalidates every access token (as expiry or revocation would). */
  revokeAccessTokens(): void {
    this.access.clear();
  }

  private issue(userName: string): Record<string, unknown> {
    const accessToken = token();
    this.access.set(accessToken, { userName, expiresAt: this.now() + this.ttlSeconds * 1000 });
    return { access_token: accessToken, scope: 'useraccount', token_type: 'Bearer', expires_in: this.ttlSeconds };
  }
}

function token(): string {
  return `${crypto.randomUUID()}${crypto.randomUUID()}`.replace(/-/g, '');
}
