import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { maskSecrets, maskingWriter } from '../../src/core/mask';

/**
 * A generated corpus: every secret format × key spelling (case, `_`/`-`/`.` joins) ×
 * separator × several per line. A test passes only when no secret survives and the words
 * around it (key names, schemes, ordinary log text) do.
 */

let counter = 0;
/** A fresh secret-looking value, unique so a leak is found by substring. */
function secret(prefix = ''): string {
  counter++;
  return `${prefix}Q${counter}x7Kp2mZ9vR4tL8wN3${counter}`;
}

interface Format {
  name: string;
  /** The line, given the secret. */
  make(s: string): string;
  /** Text that must still be there after masking. */
  keep?: string[];
  /** How to build the secret (default: secret()). */
  value?: () => string;
}

const KEY_NAMES = [
  'api_key', 'apikey', 'api-key', 'OPENAI_API_KEY', 'ANTHROPIC_API_KEY', 'x-api-key', 'X-Api-Key', 'dd-api-key', 'DD_API_KEY',
  'token', 'access_token', 'refresh_token', 'id_token', 'X-Auth-Token', 'x-auth-token', 'GITHUB_TOKEN', 'auth_token', 'accessToken', 'session_token',
  'secret', 'client_secret', 'client-secret', 'AWS_SECRET_ACCESS_KEY', 'app.secret', 'JWT_SECRET',
  'password', 'DB_PASSWORD', 'passwd', 'pwd', 'PGPASSWORD', 'smtp.password', 'passphrase',
  'private_key', 'private-key', 'access_key', 'signing_key', 'encryption_key', 'account_key', 'AccountKey',
  'session_id', 'sessionid', 'credentials', 'credential', 'x-honeycomb-team', 'signoz-access-token', 'signature', 'sig', 'connection_string',
] as const;

const SEPARATORS: Array<(k: string, v: string) => string> = [
  (k, v) => `${k}=${v}`,
  (k, v) => `${k}: ${v}`,
  (k, v) => `${k} = "${v}"`,
  (k, v) => `"${k}": "${v}"`,
  (k, v) => `'${k}': '${v}'`,
  (k, v) => `${k} => ${v}`,
  (k, v) => `?${k}=${v}&page=2`,
];

const CASES: Array<(k: string) => string> = [(k) => k, (k) => k.toUpperCase(), (k) => k.toLowerCase(), (k) => k.charAt(0).toUpperCase() + k.slice(1)];

const FORMATS: Format[] = [
  { name: 'Authorization: Bearer', make: (s) => `Authorization: Bearer ${s}`, keep: ['Authorization: Bearer'] },
  { name: 'authorization: bearer (lower case)', make: (s) => `authorization: bearer ${s}`, keep: ['authorization: bearer'] },
  { name: 'Authorization: Token', make: (s) => `Authorization: Token ${s}`, keep: ['Authorization: Token'] },
  { name: 'Authorization: Basic', make: (s) => `Authorization: Basic ${s}`, keep: ['Authorization: Basic'] },
  { name: 'Authorization without scheme', make: (s) => `Authorization: ${s}`, keep: ['Authorization:'] },
  { name: 'Proxy-Authorization', make: (s) => `Proxy-Authorization: Basic ${s}`, keep: ['Proxy-Authorization: Basic'] },
  { name: 'Authorization in TOML headers', make: (s) => `Authorization = "Bearer ${s}"`, keep: ['Authorization = "Bearer'] },
  { name: 'Authorization in JSON', make: (s) => `{"Authorization":"Bearer ${s}"}`, keep: ['"Authorization":"Bearer'] },
  { name: 'curl -H', make: (s) => `curl -H "Authorization: Bearer ${s}" https://api.example.com`, keep: ['curl -H', 'https://api.example.com'] },
  { name: 'bare Bearer', make: (s) => `sending Bearer ${s} upstream`, keep: ['sending Bearer', 'upstream'] },
  { name: 'URL password', make: (s) => `connecting to https://admin:${s}@db.example.com:5432/x`, keep: ['https://admin:', '@db.example.com:5432/x'] },
  { name: 'postgres URL', make: (s) => `DATABASE_URL=postgres://app:${s}@10.0.0.5/app`, keep: ['postgres://app:'] },
  { name: 'redis URL', make: (s) => `redis://default:${s}@cache:6379`, keep: ['redis://default:'] },
  { name: 'token as URL user', make: (s) => `git clone https://${s}@github.com/org/repo`, value: () => secret('ghtokenvalue'), keep: ['@github.com/org/repo'] },
  { name: 'URL query access_token', make: (s) => `GET /v1/x?access_token=${s}&page=2`, keep: ['page=2'] },
  { name: 'URL query sig (SAS)', make: (s) => `https://acct.blob.core.windows.net/c?sv=2020&sig=${s}&se=2026`, keep: ['sv=2020'] },
  { name: 'JWT', make: (s) => `token eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIke${s}In0.${s}sig`, value: () => secret('A'), keep: ['token eyJ'] },
  { name: 'JWT alone in JSON', make: (s) => `{"id":"eyJhbGciOiJSUzI1NiJ9.eyJ${s}.abc${s}"}`, keep: ['{"id":"eyJ'] },
  { name: 'Cookie header', make: (s) => `Cookie: sid=${s}; csrftoken=${s}x`, keep: ['Cookie: sid=', 'csrftoken='] },
  { name: 'Set-Cookie header', make: (s) => `Set-Cookie: session=${s}; Path=/; HttpOnly`, keep: ['Set-Cookie: session=', 'Path=/', 'HttpOnly'] },
  { name: 'cookie lower case', make: (s) => `cookie: __Host-id=${s}`, keep: ['cookie: __Host-id='] },
  { name: 'JSON access_token', make: (s) => `{"access_token":"${s}","token_type":"Bearer","expires_in":3600}`, keep: ['"token_type":"Bearer"', '"expires_in":3600'] },
  { name: 'JSON refresh_token spaced', make: (s) => `{ "refresh_token" : "${s}" }`, keep: ['"refresh_token"'] },
  { name: 'JSON password with escaped quote', make: (s) => `{"password":"${s}\\"x"}`, keep: ['"password":"'] },
  { name: 'env export', make: (s) => `export OPENAI_API_KEY=${s}`, keep: ['export OPENAI_API_KEY='] },
  { name: 'docker -e', make: (s) => `docker run -e ANTHROPIC_API_KEY=${s} image`, keep: ['docker run -e ANTHROPIC_API_KEY=', ' image'] },
  { name: 'CLI flag --api-key', make: (s) => `code --api-key ${s} --model x`, keep: ['--api-key', '--model x'] },
  { name: 'CLI flag --password=', make: (s) => `mysql --password=${s} -h db`, keep: ['mysql --password=', '-h db'] },
  { name: 'YAML', make: (s) => `  client_secret: ${s}`, keep: ['client_secret:'] },
  { name: 'INI with spaces', make: (s) => `aws_secret_access_key = ${s}`, keep: ['aws_secret_access_key ='] },
  { name: 'Azure connection string', make: (s) => `DefaultEndpointsProtocol=https;AccountName=acct;AccountKey=${s};EndpointSuffix=core.windows.net`, keep: ['AccountName=acct', 'EndpointSuffix=core.windows.net'] },
  { name: 'OTEL header x-api-key in TOML', make: (s) => `x-api-key = "${s}"`, keep: ['x-api-key = "'] },
  { name: 'OTEL header x-honeycomb-team', make: (s) => `"x-honeycomb-team" = "${s}"`, keep: ['"x-honeycomb-team"'] },
  { name: 'OTEL_EXPORTER_OTLP_HEADERS', make: (s) => `OTEL_EXPORTER_OTLP_HEADERS=api-key=${s}`, keep: ['OTEL_EXPORTER_OTLP_HEADERS='] },
  { name: 'Rust Debug struct', make: (s) => `Config { api_key: "${s}", model: "gpt" }`, keep: ['model: "gpt"'] },
  { name: 'key in parentheses', make: (s) => `failed (token=${s})`, keep: ['failed (token=', ')'] },
  { name: 'key after a log prefix', make: (s) => `2025-12-24T13:51:20.921578Z  WARN request failed token=${s}`, keep: ['2025-12-24T13:51:20.921578Z  WARN request failed token='] },
  { name: 'OpenAI key shape', make: () => `using sk-proj-AbCdEfGhIjKlMnOpQrStUv${counter++} for the call`, value: () => 'sk-proj-AbCdEfGhIjKlMnOpQrStUv', keep: ['for the call'] },
  { name: 'Anthropic key shape', make: () => `key sk-ant-api03-AbCdEfGhIjKlMnOp${counter++}`, value: () => 'AbCdEfGhIjKlMnOp' },
  { name: 'GitHub token shape', make: (s) => `ghp_${s}AbCdEfGh`, value: () => secret('abcdef') },
  { name: 'GitHub fine-grained PAT', make: (s) => `github_pat_11ABCDEFG${s}_abcdef`, value: () => secret('z') },
  { name: 'GitLab PAT', make: (s) => `glpat-${s}`, value: () => secret('abcdEFGH') },
  { name: 'Slack token', make: (s) => `xoxb-1234-${s}`, value: () => secret('s') },
  { name: 'Slack webhook', make: (s) => `https://hooks.slack.com/services/T000/B000/${s}`, keep: ['https://hooks.slack.com/services/'] },
  { name: 'AWS access key id', make: () => `AKIAIOSFODNN7EXAMPLE used`, value: () => 'AKIAIOSFODNN7EXAMPLE'.slice(4), keep: ['used'] },
  { name: 'Google API key', make: (s) => `AIzaSyA${s}abcdefghijkl`, value: () => secret('k') },
  { name: 'Stripe live key', make: (s) => `sk_live_${s}`, value: () => secret('abc') },
  { name: 'npm token', make: (s) => `//registry.npmjs.org/:_authToken=npm_${s}abcdefghij`, value: () => secret('a') },
  { name: 'Hugging Face token', make: (s) => `hf_${s}abcdefghijk`, value: () => secret('b') },
  { name: 'SendGrid key', make: (s) => `SG.${s}.${s}x`, value: () => secret('c') },
  { name: 'PEM private key', make: (s) => `-----BEGIN RSA PRIVATE KEY-----\nMIIE${s}\n-----END RSA PRIVATE KEY-----`, keep: ['-----BEGIN RSA PRIVATE KEY-----'] },
  { name: 'OpenSSH private key', make: (s) => `-----BEGIN OPENSSH PRIVATE KEY-----\nb3Bl${s}\n-----END OPENSSH PRIVATE KEY-----` },
  { name: 'Digest auth', make: (s) => `Authorization: Digest username="u", response="${s}"`, keep: ['Authorization: Digest'] },
  { name: 'camelCase accessToken', make: (s) => `{"accessToken":"${s}"}`, keep: ['"accessToken"'] },
  { name: 'session cookie key', make: (s) => `sessionid=${s}`, keep: ['sessionid='] },
  { name: 'passphrase', make: (s) => `passphrase: '${s}'`, keep: ['passphrase:'] },
  { name: 'mixed case header', make: (s) => `x-AUTH-token:${s}`, keep: ['x-AUTH-token:'] },
  { name: 'dotted key', make: (s) => `smtp.password=${s}`, keep: ['smtp.password='] },
  { name: 'PHP style arrow', make: (s) => `'api_key' => '${s}'`, keep: ["'api_key' =>"] },
  { name: 'key in stderr Debug output', make: (s) => `Error: request rejected: headers {"x-api-key": "${s}"}`, keep: ['Error: request rejected'] },
  { name: 'URL query key= (Google APIs)', make: (s) => `GET https://collector.example.com:4318/v1/logs?key=${s}&alt=json`, keep: ['alt=json', 'https://collector.example.com:4318/v1/logs?key='] },
  { name: 'URL query code= (OAuth)', make: (s) => `redirect /callback?state=abc&code=${s}`, keep: ['state=abc'] },
  { name: 'presigned X-Amz-Signature', make: (s) => `https://b.s3.amazonaws.com/o?X-Amz-Expires=60&X-Amz-Signature=${s}`, keep: ['X-Amz-Expires=60'] },
  { name: 'Ocp-Apim-Subscription-Key', make: (s) => `Ocp-Apim-Subscription-Key: ${s}`, keep: ['Ocp-Apim-Subscription-Key:'] },
  { name: 'header pair in Rust Debug', make: (s) => `otlp headers: [("x-api-key", "${s}"), ("accept", "json")]`, keep: ['("accept", "json")'] },
  { name: 'Grafana service account token', make: (s) => `glsa_${s}_abcdef12`, value: () => secret('g') },
  { name: 'Bearer in a quoted JSON string', make: (s) => `"headers": {"authorization": "Bearer ${s}"}`, keep: ['"authorization": "Bearer'] },
];

/** Log words that look like secret keys and are not. */
const NOT_SECRETS = [
  '2025-12-24T13:51:20.921578Z  INFO codex_login::auth: refreshing the access token',
  '2025-12-24T13:51:20.922332Z  WARN run_auto_loop{goal=fix flaky tests}: Failed to persist token usage: database is locked',
  'max_output_tokens=4096 input_tokens=1200 cached_tokens=0 reasoning_tokens=12',
  'token_count=5 auth_mode=chatgpt token_type=Bearer',
  'password=${DB_PASSWORD} api_key=env:OPENAI_API_KEY token=<redacted>',
  'Usage: code-ops tail [--code-home DIR] [--lines N] [--follow] [--json]',
  'auth_file=/home/u/.code/auth.json secret_name=prod-db',
  'oauth: callback received',
  'panicked at code-rs/core/src/auth.rs:42:9: no token',
];

describe('maskSecrets: generated corpus', () => {
  it(`has at least 60 formats (${FORMATS.length}) and ${KEY_NAMES.length} key names`, () => {
    assert.ok(FORMATS.length + KEY_NAMES.length >= 60);
    assert.ok(FORMATS.length >= 60);
  });

  for (const f of FORMATS) {
    it(`masks ${f.name}`, () => {
      const value = (f.value ?? secret)();
      const line = f.make(value);
      const out = maskSecrets(line);
      assert.ok(!out.includes(value), `leaked: ${out}`);
      assert.ok(out.includes('****'), `no mask in: ${out}`);
      for (const k of f.keep ?? []) assert.ok(out.includes(k), `lost "${k}": ${out}`);
    });
  }

  it('masks every key name in every case and separator, several per line', () => {
    let checked = 0;
    for (const key of KEY_NAMES) {
      for (const kase of CASES) {
        const k = kase(key);
        const values: string[] = [];
        const parts = SEPARATORS.map((sep) => {
          const v = secret();
          values.push(v);
          return sep(k, v);
        });
        // all separators in one line, and each alone
        for (const line of [parts.join(' '), parts.join(', '), ...parts]) {
          const out = maskSecrets(line);
          for (const v of values) assert.ok(!out.includes(v), `${k}: leaked ${v} in ${out}`);
          checked++;
        }
        assert.ok(maskSecrets(parts[0]).toLowerCase().includes(k.toLowerCase()), `the key name ${k} stays`);
      }
    }
    assert.ok(checked > 1000, `${checked} lines`);
  });

  it('masks several different formats in one line', () => {
    for (let i = 0; i + 3 <= FORMATS.length; i++) {
      const trio = FORMATS.slice(i, i + 3).filter((f) => !f.value);
      const values = trio.map(() => secret());
      const line = trio.map((f, j) => f.make(values[j]).replace(/\n/g, ' ')).join(' | ');
      const out = maskSecrets(line);
      for (const v of values) assert.ok(!out.includes(v), `leaked ${v}: ${out}`);
    }
  });

  it('leaves ordinary log words alone', () => {
    for (const line of NOT_SECRETS) assert.equal(maskSecrets(line), line);
  });

  it('is idempotent and bounded on a huge line', () => {
    const line = `token=${secret()} ` + 'x'.repeat(2_000_000) + ` password=${secret()}`;
    const t0 = Date.now();
    const once = maskSecrets(line);
    assert.ok(Date.now() - t0 < 2000, `took ${Date.now() - t0} ms`);
    assert.equal(maskSecrets(once), once);
    assert.equal((once.match(/\*\*\*\*/g) ?? []).length, 2);
  });

  it('maskingWriter masks every write of a real stream', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'code-ops-mask-'));
    try {
      const file = path.join(dir, 'out.txt');
      const fd = fs.openSync(file, 'w');
      const stream = { write: (s: string) => fs.writeSync(fd, s) };
      const v = secret();
      maskingWriter(stream).write(`OPENAI_API_KEY=${v}\n`);
      fs.closeSync(fd);
      assert.equal(fs.readFileSync(file, 'utf8'), 'OPENAI_API_KEY=****\n');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a real child process printing secrets through the masking writer prints none', () => {
    const v = secret();
    const script = `const { maskingWriter } = require(${JSON.stringify(path.resolve(__dirname, '../../src/core/mask.ts'))}); maskingWriter(process.stdout).write('X-Auth-Token: ${v}\\n');`;
    const r = spawnSync(process.execPath, ['-r', 'tsx/cjs', '-e', script], { encoding: 'utf8', cwd: path.resolve(__dirname, '../..') });
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout, 'X-Auth-Token: ****\n');
  });
});

describe('secrets at the CLI exits (real processes)', () => {
  it('code-ops probe prints no secret from stderr, a non-JSON stdout line or the userAgent (human and --json)', function () {
    this.timeout(60_000);
    const secrets = Array.from({ length: 5 }, () => secret('leak'));
    const server = path.resolve(__dirname, '../fixtures/logs/leakyServer.mjs');
    const cli = path.resolve(__dirname, '../../src/cli.ts');
    for (const extra of [[], ['--json']]) {
      const r = spawnSync(process.execPath, ['--import', 'tsx', cli, 'probe', '--command', `${process.execPath} ${server}`, '--timeout', '5000', ...extra], {
        encoding: 'utf8',
        timeout: 30_000,
        env: { ...process.env, LEAKY_SECRETS: JSON.stringify(secrets) },
      });
      const all = r.stdout + r.stderr;
      assert.ok(all.length > 0, 'probe printed something');
      for (const s of secrets) assert.ok(!all.includes(s), `leaked ${s}:\n${all}`);
      if (extra.length) JSON.parse(r.stdout); // still valid JSON after masking
      assert.match(all, /\*\*\*\*/);
    }
  });
});
