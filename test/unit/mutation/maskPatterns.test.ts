// Every pattern of src/core/mask.ts with its exact output: the part that stays,
// the part masked, the shortest value that is masked and a look-alike one
// character shorter that is not, letter case and spacing variants, and the
// masking proxy. Written from the survivors of
// `npm run mutation -- --mutate src/core/mask.ts`.
import * as assert from 'node:assert/strict';
import { CHANNEL_TEXT_METHODS, maskingProxy, maskingWriter, maskSecrets } from '../../../src/core/mask';

type Row = [input: string, expected: string];

function table(title: string, rows: Row[]): void {
  describe(title, () => {
    for (const [input, expected] of rows) {
      it(`${JSON.stringify(input).slice(0, 90)}`, () => assert.equal(maskSecrets(input), expected));
    }
  });
}

const alnum = (n: number) => 'aB3dE6gH9kLmN2pQ5sTvW8yZ1cF4hJ7'.repeat(4).slice(0, n);

table('private keys (PEM)', [
  ['-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA\nq83kd9\n-----END RSA PRIVATE KEY-----', '-----BEGIN RSA PRIVATE KEY-----****-----END RSA PRIVATE KEY-----'],
  ['-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBg\n-----END PRIVATE KEY----- after', '-----BEGIN PRIVATE KEY-----****-----END PRIVATE KEY----- after'],
  ['-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXk\n-----END OPENSSH PRIVATE KEY-----', '-----BEGIN OPENSSH PRIVATE KEY-----****-----END OPENSSH PRIVATE KEY-----'],
  ['-----BEGIN ENCRYPTED PRIVATE KEY-----MIIFHz-----END ENCRYPTED PRIVATE KEY-----', '-----BEGIN ENCRYPTED PRIVATE KEY-----****-----END ENCRYPTED PRIVATE KEY-----'],
  ['a -----BEGIN EC PRIVATE KEY-----\nAAA\n-----END EC PRIVATE KEY----- keep -----BEGIN EC PRIVATE KEY-----\nBBB\n-----END EC PRIVATE KEY----- b', 'a -----BEGIN EC PRIVATE KEY-----****-----END EC PRIVATE KEY----- keep -----BEGIN EC PRIVATE KEY-----****-----END EC PRIVATE KEY----- b'],
  ['cut: -----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA\nq83kd9', 'cut: -----BEGIN RSA PRIVATE KEY-----****-----END RSA PRIVATE KEY-----'],
  ['-----BEGIN PUBLIC KEY-----\nMIIBIjANBgkqhkiG9w0B\n-----END PUBLIC KEY-----', '-----BEGIN PUBLIC KEY-----\nMIIBIjANBgkqhkiG9w0B\n-----END PUBLIC KEY-----'],
]);

table('Authorization schemes whose credentials are a list of fields', [
  ['Authorization: Digest username="bob", realm="x", response="6629fae4"', 'Authorization: Digest ****'],
  ['Proxy-Authorization: Digest username="bob"', 'Proxy-Authorization: Digest ****'],
  ['Authorization : Digest username="bob", response="6629fae4"', 'Authorization : Digest ****'],
  ['authorization:Hawk id="dh37fgj492je", mac="6R4rV5iE"', 'authorization:Hawk ****'],
  ['Authorization  =  AWS4-HMAC-SHA256 Credential=AKID/20200101, Signature=fe5f80f7', 'Authorization  =  AWS4-HMAC-SHA256 ****'],
  ['{"Authorization": "Digest username=\\"bob\\""}', '{"Authorization": "Digest ****'],
  ["'authorization':'Hawk id=\"x1\"'", "'authorization':'Hawk ****"],
  ['Authorization: Digest  nonce="abc"\nnext line stays', 'Authorization: Digest ****\nnext line stays'],
]);

table('Authorization headers: the scheme stays, the credentials go', [
  ...['Bearer', 'Basic', 'Token', 'Negotiate', 'ApiKey', 'bearer', 'TOKEN'].map((s): Row => [`Authorization: ${s} ${alnum(12)} end`, `Authorization: ${s} **** end`]),
  ['Authorization: abcdef12 end', 'Authorization: **** end'],
  ['authorization=Token x9', 'authorization=Token ****'],
  ['Proxy-Authorization: Basic dXNlcjpwYXNz', 'Proxy-Authorization: Basic ****'],
  ['proxy-authorization : Basic dXNlcjpwYXNz', 'proxy-authorization : Basic ****'],
  ['{"authorization":"Bearer abc.def"}', '{"authorization":"Bearer ****"}'],
  ['Authorization: Token abc123, realm=a1b2c3; next', 'Authorization: Token ****; next'],
  ['Authorization: Token abc123,realm=a1b2c3,nonce=zz9 end', 'Authorization: Token **** end'],
]);

table('Bearer and Basic credentials outside a header', [
  [`curl -H "X: Bearer ${alnum(6)}" x`, 'curl -H "X: Bearer ****" x'],
  [`got basic ${alnum(20)}== ok`, 'got basic **** ok'],
  ['Bearer abcde', 'Bearer abcde'],
  ['Bearer ****', 'Bearer ****'],
]);

table('cookies: every value, not the attributes', [
  ['Cookie: session=abc123; theme=dark', 'Cookie: session=****; theme=****'],
  ['cookie:sid=s3cr3t', 'cookie:sid=****'],
  ['COOKIE :  a=1;b=', 'COOKIE :  a=****;b=****'],
  ['Set-Cookie: id=a3fWa; Path=/; Domain=example.com; Max-Age=2592000; SameSite=Lax; expires=Wed; HttpOnly', 'Set-Cookie: id=****; Path=/; Domain=example.com; Max-Age=2592000; SameSite=Lax; expires=Wed; HttpOnly'],
  ['set-cookie: xpath=abc; pathx=def; path=/p', 'set-cookie: xpath=****; pathx=****; path=/p'],
  ['Cookie: a=b\nc=d stays', 'Cookie: a=****\nc=d stays'],
]);

table('credentials in URLs', [
  ['clone https://bob:hunter22@example.com/repo', 'clone https://bob:****@example.com/repo'],
  ['git+ssh://deploy.user:p4ss@host:22/x', 'git+ssh://deploy.user:****@host:22/x'],
  ['POSTGRES://app:pw@db/x', 'POSTGRES://app:****@db/x'],
  ['see http://host:8080/path and ftp://a:b@c', 'see http://host:8080/path and ftp://a:****@c'],
  [`https://${alnum(20)}@github.com/o/r`, 'https://****@github.com/o/r'],
  [`https://${alnum(19)}@github.com/o/r`, `https://${alnum(19)}@github.com/o/r`],
  [`s3.x-y://${alnum(24)}@bucket`, 's3.x-y://****@bucket'],
]);

table('JWTs', [
  ['jwt eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.SflKxwRJSMeKKF2QT4fwpMeJf36 end', 'jwt eyJ**** end'],
  ['eyJabcd.efgh.', 'eyJ****'],
  ['eyJabcd.efgh.ij-_kl', 'eyJ****'],
  ['eyJabc.efgh.ijkl', 'eyJabc.efgh.ijkl'],
  ['eyJabcd.efg.ijkl', 'eyJabcd.efg.ijkl'],
]);

table('key = value: empty values and placeholders stay', [
  ['token=""', 'token=""'],
  ["token=''", "token=''"],
  ['token = "<your token here>"', 'token = "<your token here>"'],
  ['token = "<>"', 'token = "<>"'],
  ['secret: "[from vault]"', 'secret: "[from vault]"'],
]);

table('key names that hold counts or settings, not secrets', [
  ...['tokens', 'token_count', 'token_limit', 'token_usage', 'token_type', 'auth_mode', 'auth_method', 'secret_kind', 'auth_scheme', 'auth_provider', 'auth_required', 'auth_enabled', 'token_len', 'token_length', 'token_ttl', 'token_expiry', 'token_expires', 'token_expires_at', 'token_expires_in', 'secret_file', 'secret_path', 'token_env', 'secret_name', 'auth_url', 'max_tokens', 'max_output_tokens', 'min_token', 'input_tokens', 'outputtokens', 'total_tokens', 'cached_token', 'reasoning_tokens', 'MAX_TOKENS', 'Token_Count'].map(
    (k): Row => [`${k}=abcdefgh`, `${k}=abcdefgh`],
  ),
  ['token_count_x=abcdefgh', 'token_count_x=****'],
  ['ctx_max_token=abcdefgh', 'ctx_max_token=****'],
  ['max_token_x=abcdefgh', 'max_token_x=****'],
  ['maxtoken=abcdefgh', 'maxtoken=abcdefgh'],
  ['inputtoken=abcdefgh', 'inputtoken=abcdefgh'],
  ['max_output_token=abcdefgh', 'max_output_token=abcdefgh'],
  ['api_tokenx=abcdefgh', 'api_tokenx=abcdefgh'],
]);

table('command-line flags', [
  ['code --api-key Abc123xyz run', 'code --api-key **** run'],
  ['code -token Abc123xyz', 'code -token ****'],
  ['code --openai-api-key Abc123xyz', 'code --openai-api-key ****'],
  ['code --db-password  Abc123xyz', 'code --db-password  ****'],
  ['code --PASSWD\tAbc123', 'code --PASSWD\t****'],
  ['code --client-secret Abc"rest', 'code --client-secret ****"rest'],
  ['code --apikey Abc123 next', 'code --apikey **** next'],
  ['code --token -v', 'code --token -v'],
  ['code --token =x', 'code --token =x'], // under 4 characters: a word, not a credential (see mask.ts)
  ['code --token =x7Kq', 'code --token =****'],
  ['code --token :x7Kq', 'code --token :****'],
  ['code --token -', 'code --token -'],
  ['code --token ****', 'code --token ****'],
  ['code --token *Abc123', 'code --token ****'],
  ['x--token Abc123', 'x--token Abc123'],
  ['my-token Abc123', 'my-token Abc123'],
]);

table('token shapes: the shortest that is one, and one character less', [
  [`k ${'rk'}_live_${alnum(10)} e`, 'k sk_**** e'],
  [`k pk_test_${alnum(10)} e`, 'k sk_**** e'],
  [`k sk_live_${alnum(9)} e`, `k sk_live_${alnum(9)} e`],
  [`k github_pat_${alnum(20)}_x e`, 'k github_pat_**** e'],
  [`k github_pat_${alnum(19)} e`, `k github_pat_${alnum(19)} e`],
  [`k glpat-${alnum(16)}-x e`, 'k glpat-**** e'],
  [`k glpat-${alnum(15)} e`, `k glpat-${alnum(15)} e`],
  [`k AIza${alnum(30)}_- e`, 'k AIza**** e'],
  [`k AIza${alnum(29)} e`, `k AIza${alnum(29)} e`],
  [`k npm_${alnum(30)} e`, 'k npm_**** e'],
  [`k npm_${alnum(29)} e`, `k npm_${alnum(29)} e`],
  [`k hf_${alnum(30)} e`, 'k hf_**** e'],
  [`k hf_${alnum(29)} e`, `k hf_${alnum(29)} e`],
  [`k pypi-${alnum(50)}_- e`, 'k pypi-**** e'],
  [`k pypi-${alnum(49)} e`, `k pypi-${alnum(49)} e`],
  [`k SG.${alnum(16)}.${alnum(16)} e`, 'k SG.**** e'],
  [`k SG.${alnum(15)}.${alnum(16)} e`, `k SG.${alnum(15)}.${alnum(16)} e`],
  [`k SG.${alnum(16)}.${alnum(15)} e`, `k SG.${alnum(16)}.${alnum(15)} e`],
  ['post https://hooks.slack.com/services/T0001/B0001/XXXXxxxx e', 'post https://hooks.slack.com/services/**** e'],
]);

describe('maskSecrets on text longer than one slice (masked line by line)', () => {
  it('masks every line and keeps the line breaks', () => {
    const line = 'INFO call token=Abc123xyz done';
    const lines = Array.from({ length: 12_000 }, (_, i) => `${i} ${line}`);
    const text = lines.join('\n');
    assert.ok(text.length > 256 * 1024);
    assert.equal(maskSecrets(text), lines.map((l) => l.replace('Abc123xyz', '****')).join('\n'));
  });

  it('masks a private key across lines in one piece up to exactly 256 KiB', () => {
    const pem = '-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA\n-----END RSA PRIVATE KEY-----';
    const filler = 'x'.repeat(256 * 1024 - pem.length - 1);
    assert.equal((filler + '\n' + pem).length, 256 * 1024);
    assert.equal(maskSecrets(`${filler}\n${pem}`), `${filler}\n-----BEGIN RSA PRIVATE KEY-----****-----END RSA PRIVATE KEY-----`);
    assert.equal(maskSecrets(pem), '-----BEGIN RSA PRIVATE KEY-----****-----END RSA PRIVATE KEY-----');
  });

  it('never shows the body of a private key in text longer than a slice', () => {
    const body = ['MIIEowIBAAKCAQEAqXk2', 'q83kd9ZZmW0aLpx', 'Jd8Qm1vT0RzY'];
    const pem = ['-----BEGIN RSA PRIVATE KEY-----', ...body, '-----END RSA PRIVATE KEY----- tail'].join('\n');
    const text = `${'y'.repeat(300 * 1024)}\n${pem}\nafter token=Abc123xyz`;
    const out = maskSecrets(text);
    for (const b of body) assert.ok(!out.includes(b), b);
    assert.ok(out.endsWith('-----BEGIN RSA PRIVATE KEY-----****-----END RSA PRIVATE KEY----- tail\nafter token=****'), out.slice(-200));
  });

  it('in text longer than a slice, a key closed on its line hides nothing after it, an unclosed one hides the rest', () => {
    const big = 'z'.repeat(300 * 1024);
    const closed = maskSecrets(`${big}\n-----BEGIN EC PRIVATE KEY-----AAA-----END EC PRIVATE KEY-----\nnext line`);
    assert.equal(closed.slice(big.length), '\n-----BEGIN EC PRIVATE KEY-----****-----END EC PRIVATE KEY-----\nnext line');
    const open = maskSecrets(`${big}\nk: -----BEGIN EC PRIVATE KEY-----\nAAAA\nBBBB -----END RSA PRIVATE KEY-----\nCCCC`);
    assert.equal(open.slice(big.length), '\nk: -----BEGIN EC PRIVATE KEY-----****-----END EC PRIVATE KEY-----');
    const plain = maskSecrets(`${big}\n-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBg\n-----END PRIVATE KEY-----\nafter`);
    assert.equal(plain.slice(big.length), '\n-----BEGIN PRIVATE KEY-----****-----END PRIVATE KEY-----\nafter');
    const second = maskSecrets(`${big}\n-----BEGIN EC PRIVATE KEY-----A-----END EC PRIVATE KEY----- -----BEGIN DSA PRIVATE KEY-----\nBODY\n-----END DSA PRIVATE KEY-----!`);
    assert.equal(second.slice(big.length), '\n-----BEGIN EC PRIVATE KEY-----****-----END EC PRIVATE KEY----- -----BEGIN DSA PRIVATE KEY-----****-----END DSA PRIVATE KEY-----!');
  });
});

describe('maskingProxy and maskingWriter', () => {
  class Sink {
    lines: unknown[] = [];
    other: unknown[] = [];
    readonly name = 'sink';
    write(chunk: unknown, ...rest: unknown[]): this {
      this.lines.push([chunk, ...rest]);
      return this;
    }
    appendLine(chunk: unknown): void {
      this.lines.push([chunk]);
    }
    raw(chunk: unknown): void {
      this.other.push(chunk);
    }
  }

  it('masks the string first argument of the named methods only, passes the rest and keeps `this`', () => {
    const sink = new Sink();
    const p = maskingProxy(sink, ['write', 'appendLine']);
    assert.equal(p.write('token=Abc123xyz', 'enc', 3), sink);
    p.appendLine('password: hunter22');
    p.write(42);
    p.raw('token=Abc123xyz');
    assert.deepEqual(sink.lines, [['token=****', 'enc', 3], ['password: ****'], [42]]);
    assert.deepEqual(sink.other, ['token=Abc123xyz']);
    assert.equal(p.name, 'sink');
    assert.equal(p.lines, sink.lines);
  });

  it('maskingWriter masks write', () => {
    const sink = new Sink();
    maskingWriter(sink).write('api_key=Abc123xyz');
    maskingWriter(sink).appendLine('api_key=Abc123xyz');
    assert.deepEqual(sink.lines, [['api_key=****'], ['api_key=Abc123xyz']]);
  });

  it('names every text method of an output channel', () => {
    assert.deepEqual([...CHANNEL_TEXT_METHODS], ['append', 'appendLine', 'replace', 'trace', 'debug', 'info', 'warn', 'error']);
  });
});
