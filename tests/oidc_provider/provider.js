// A real OpenID provider for SkillGrid's tests: node-oidc-provider (a certified
// implementation) on a free loopback port, never a mock of our own.
//
// Started by tests/oidc.py with one argument, a JSON object:
//   {"clients": [{client_id, client_secret, redirect_uris, post_logout_redirect_uris}],
//    "id_token_ttl": seconds (optional)}
// It listens on 127.0.0.1, port 0 (the system picks one), and prints one line of JSON,
// {"issuer": "http://127.0.0.1:PORT"}, once it answers.
//
// Sign-in uses the provider's development interactions: a form with "login" and
// "password" (any password). The login name is the account: the accounts below have
// fixed claims; any other name NAME is NAME@x.org with a verified email and no groups.
// Consent is not asked (a company's own app, as identity providers set it up).
import http from 'node:http';

import Provider from 'oidc-provider';

const ACCOUNTS = {
  admin: { email: 'root@x.org', email_verified: true, groups: ['staff', 'skillgrid-admins'] },
  unverified: { email: 'ana@x.org', email_verified: false, groups: [] },
  stranger: { email: 'stranger@elsewhere.org', email_verified: true, groups: [] },
  // another identity at the provider given an address someone else signed in with before
  impostor: { email: 'bo@x.org', email_verified: true, groups: [] },
  noemail: { groups: [] },
};

function claimsOf(login) {
  const known = ACCOUNTS[login];
  if (known) return { ...known, name: login };
  return { email: `${login}@x.org`, email_verified: true, groups: [], name: login };
}

const options = JSON.parse(process.argv[2] || '{}');
const server = http.createServer();

server.listen(0, '127.0.0.1', () => {
  const issuer = `http://127.0.0.1:${server.address().port}`;
  const provider = new Provider(issuer, {
    clients: (options.clients || []).map((client) => ({
      grant_types: ['authorization_code'],
      response_types: ['code'],
      token_endpoint_auth_method: 'client_secret_basic',
      ...client,
    })),
    pkce: { required: () => true },
    scopes: ['openid', 'email', 'profile', 'groups'],
    claims: {
      openid: ['sub'],
      email: ['email', 'email_verified'],
      profile: ['name'],
      groups: ['groups'],
    },
    // the claims asked for by scope go into the ID token itself, as Google, Okta,
    // Entra ID and Keycloak put them there
    conformIdTokenClaims: false,
    findAccount: (ctx, id) => ({
      accountId: id,
      claims: () => ({ sub: id, ...claimsOf(id) }),
    }),
    features: {
      devInteractions: { enabled: true },
      rpInitiatedLogout: { enabled: true },
    },
    loadExistingGrant: async (ctx) => {
      const grant = new ctx.oidc.provider.Grant({
        clientId: ctx.oidc.client.clientId,
        accountId: ctx.oidc.session.accountId,
      });
      grant.addOIDCScope('openid email profile groups');
      grant.addOIDCClaims(['email', 'email_verified', 'name', 'groups']);
      await grant.save();
      return grant;
    },
    ttl: {
      AccessToken: 600,
      AuthorizationCode: 60,
      IdToken: options.id_token_ttl || 600,
      Interaction: 600,
      Session: 3600,
      Grant: 3600,
    },
    cookies: { keys: ['skillgrid-test-provider'] },
  });
  server.on('request', provider.callback());
  console.log(JSON.stringify({ issuer }));
});

for (const signal of ['SIGTERM', 'SIGINT']) {
  process.on(signal, () => server.close(() => process.exit(0)));
}
