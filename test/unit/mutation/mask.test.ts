// Masking, generated over every pattern of src/core/mask.ts: each secret key
// name in three letter cases and five ways of writing the separator, several
// secrets on one line, each token shape and its minimum length. Written to kill
// the mutants `npm run mutation -- --mutate src/core/mask.ts` reported alive.
import * as assert from 'node:assert/strict';
import { maskSecrets, redact } from '../../../src/core/mask';

const SECRET = 'Zq8vN3pL0tX7wR2m';

/** Every key name the key=value pattern knows, with the optional `_`/`-` both ways. */
const KEYS = [
  'api_key', 'api-key', 'apikey', 'x-api-key', 'token', 'secret', 'password', 'passwd', 'authorization', 'auth',
  'access_key', 'access-key', 'accesskey', 'client_secret', 'client-secret', 'clientsecret',
  'private_key', 'private-key', 'privatekey', 'dd-api-key', 'x-honeycomb-team', 'signoz-access-token',
];
const CASES: Array<[string, (k: string) => string]> = [
  ['lower', (k) => k],
  ['UPPER', (k) => k.toUpperCase()],
  ['Capitalised', (k) => k[0].toUpperCase() + k.slice(1)],
];
/** [name, written line, expected masked line] for a key and a value. */
const SEPARATORS: Array<[string, (k: string, v: string) => string, (k: string) => string]> = [
  ['k=v', (k, v) => `${k}=${v}`, (k) => `${k}=****`],
  ['k: v', (k, v) => `${k}: ${v}`, (k) => `${k}: ****`],
  ['k = "v"', (k, v) => `${k} = "${v}"`, (k) => `${k} = "****"`],
  ['"k": "v"', (k, v) => `{"${k}": "${v}"}`, (k) => `{"${k}": "****"}`],
  ["k='v'", (k, v) => `${k}='${v}'`, (k) => `${k}='****'`],
];

describe('maskSecrets over every key, letter case and separator', () => {
  for (const key of KEYS) {
    it(`masks the value of ${key} in every case and separator`, () => {
      for (const [caseName, cased] of CASES) {
        for (const [sepName, write, expected] of SEPARATORS) {
          const k = cased(key);
          assert.equal(maskSecrets(write(k, SECRET)), expected(k), `${caseName} ${sepName}`);
        }
      }
    });
  }

  it('masks a key that ends a name joined by - _ or ., not one glued to a longer word or a module path', () => {
    assert.equal(maskSecrets(`oauth=${SECRET}`), `oauth=${SECRET}`);
    assert.equal(maskSecrets(`codex_login::auth: ${SECRET}`), `codex_login::auth: ${SECRET}`);
    assert.equal(maskSecrets(`my-token=${SECRET}`), 'my-token=****');
    assert.equal(maskSecrets(`client.secret=${SECRET}`), 'client.secret=****');
  });

  it('leaves placeholders and flags as they are and masks a short real value', () => {
    for (const v of ['true', 'false', 'null', 'none', 'yes', 'no', '123', '${OPENAI_API_KEY}', '$OPENAI_API_KEY', 'env:OPENAI_API_KEY', '<redacted>', '"[hidden]"', 'REDACTED', 'masked', '...', '***']) {
      assert.equal(maskSecrets(`auth: ${v}`), `auth: ${v}`, v);
    }
    assert.equal(maskSecrets('token=abcd'), 'token=****');
    assert.equal(maskSecrets('token=1234'), 'token=****');
  });
});

describe('maskSecrets: Bearer and Basic credentials', () => {
  for (const scheme of ['Bearer', 'bearer', 'BEARER', 'Basic', 'basic']) {
    for (const gap of [' ', '  ', '\t', ' \t ']) {
      it(`masks ${scheme}${JSON.stringify(gap)}<credential>`, () => {
        assert.equal(maskSecrets(`sent ${scheme}${gap}${SECRET}.x/y+z= ok`), `sent ${scheme} **** ok`);
      });
    }
  }

  it('leaves a credential of fewer than 6 characters', () => {
    assert.equal(maskSecrets('Bearer abcde'), 'Bearer abcde');
    assert.equal(maskSecrets('Bearer abcdef'), 'Bearer ****');
  });
});

describe('maskSecrets: well-known token shapes anywhere in a line', () => {
  const shapes: Array<[string, string, string]> = [
    // [token, replacement, too short to be one]
    ['sk-live_abcdef12', 'sk-****', 'sk-abcdef1'],
    ...['p', 'o', 'u', 's', 'r'].map((c): [string, string, string] => [`gh${c}_0123456789abcdef`, 'gh*_****', `gh${c}_0123456789abcde`]),
    ...['a', 'b', 'p', 'r'].map((c): [string, string, string] => [`xox${c}-1234-abcd`, 'xox*-****', `xox${c}-1234abc`]),
    ['AKIAABCDEFGHIJKLMNOP', 'AKIA****', 'AKIAABCDEFGHIJKLMNO'],
  ];
  for (const [token, replacement, short] of shapes) {
    it(`masks ${token.slice(0, 5)}… and leaves a shorter look-alike`, () => {
      assert.equal(maskSecrets(`cloned with ${token} today`), `cloned with ${replacement} today`);
      assert.equal(maskSecrets(`cloned with ${short} today`), `cloned with ${short} today`);
    });
  }

  it('does not take other letters for the kind letter of a token', () => {
    for (const word of ['ghx_0123456789abcdef', 'xoxz-1234-abcd']) assert.equal(maskSecrets(`id ${word}`), `id ${word}`);
  });

  it('needs the token characters the shape allows', () => {
    assert.equal(maskSecrets('ghp_################ and xoxb-######## end'), 'ghp_################ and xoxb-######## end');
  });
});

describe('maskSecrets: several secrets on one line', () => {
  it('masks each of them, of every kind, and keeps the text between', () => {
    const line = `api_key=${SECRET} then TOKEN: ${SECRET}2 and Bearer ${SECRET}3 with ghp_0123456789abcdefXY, xoxb-12345678, sk-abcdefgh1 and AKIAABCDEFGHIJKLMNOP`;
    const masked = maskSecrets(line);
    assert.equal(masked, 'api_key=**** then TOKEN: **** and Bearer **** with gh*_****, xox*-****, sk-**** and AKIA****');
  });

  it('masks the same key twice on a line', () => {
    assert.equal(maskSecrets(`password=${SECRET} password=${SECRET}`), 'password=**** password=****');
  });
});

describe('redact', () => {
  it('shows an empty value as "" and any other as ****, never the value', () => {
    assert.equal(redact(''), '""');
    assert.equal(redact('x'), '****');
    assert.equal(redact(SECRET), '****');
  });
});
