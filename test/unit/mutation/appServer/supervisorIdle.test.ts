// The supervisor before and between runs (src/core/appServer/supervisor.ts), exactly: its mode
// follows the settings while nothing runs and not while a server runs; requests and notifications
// to a server that is not running fail with one sentence; the default reasons of start and restart
// as the transitions record them. A real child (the scripted fake server). Written from the sampled
// mutation run of src/core/appServer.
import * as assert from 'node:assert/strict';
import { fakeSupervisor, trackedSupervisors } from '../../appServer/helpers';

describe('the supervisor before and between runs', function () {
  this.timeout(20_000);
  const track = trackedSupervisors();

  it('mode follows the settings only while nothing runs; requests to a stopped server fail in words', async () => {
    const { supervisor } = track(fakeSupervisor('healthy'));
    assert.equal(supervisor.snapshot().mode, 'spawn');
    const config = (supervisor as unknown as { config: Record<string, unknown> }).config;
    supervisor.configure({ ...config, socket: '/tmp/none.sock' } as never);
    assert.equal(supervisor.snapshot().mode, 'socket');
    supervisor.configure({ ...config, socket: undefined } as never);
    assert.equal(supervisor.snapshot().mode, 'spawn');
    await assert.rejects(supervisor.request('x'), { message: 'The app server is not running (state: stopped). Start it first.' });
    await assert.rejects(supervisor.notify('x'), { message: 'The app server is not running.' });

    await supervisor.start();
    assert.equal(supervisor.snapshot().state, 'healthy');
    supervisor.configure({ ...config, socket: '/tmp/none.sock' } as never);
    assert.equal(supervisor.snapshot().mode, 'spawn', 'a running server keeps its mode until the next start');
    supervisor.configure({ ...config, socket: undefined } as never);
    await supervisor.restart();
    assert.equal(supervisor.snapshot().state, 'healthy');
    const reasons = supervisor.transitions.filter((t) => t.to === 'starting').map((t) => t.reason);
    assert.deepEqual(reasons, ['started', 'restarted by request']);
    await supervisor.stop();
  });
});
