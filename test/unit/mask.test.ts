import * as assert from 'node:assert/strict';
import { maskSecrets } from '../../src/core/mask';

describe('maskSecrets', () => {
  const cases: Array<[string, string]> = [
    ['x-api-key = "abcd1234efgh"', 'x-api-key = "****"'],
    ['headers: {"authorization": "Bearer eyJhbGciOiJIUzI1NiJ9.payload"}', 'headers: {"authorization": "Bearer ****"}'],
    ['token=ghp_0123456789abcdefABCDEF', 'token=****'],
    ['using key sk-live-abcdef1234567890', 'using key sk-****'],
    ['aws AKIAABCDEFGHIJKLMNOP in env', 'aws AKIA**** in env'],
    ['password: hunter22', 'password: ****'],
  ];
  for (const [input, expected] of cases) {
    it(`masks ${JSON.stringify(input)}`, () => {
      assert.equal(maskSecrets(input), expected);
    });
  }

  it('leaves ordinary log words alone', () => {
    for (const line of [
      '2026-01-01T00:00:00Z  INFO codex_login::auth: Reloading auth',
      '2026-01-01T00:00:00Z  WARN oauth: token refresh scheduled in 300s',
      'INFO run_auto_loop{goal=fix flaky tests derive_goal=false}: close time.busy=54.2µs',
    ]) {
      assert.equal(maskSecrets(line), line);
    }
  });

  it('never lets the secret through, whatever surrounds it', () => {
    const secret = 'Zq8vN3pL0tX7wR2m';
    for (const line of [`api_key=${secret}`, `"api-key": "${secret}"`, `Authorization: Bearer ${secret}`, `client_secret: ${secret},`]) {
      assert.ok(!maskSecrets(line).includes(secret), line);
    }
  });
});
