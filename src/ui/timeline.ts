import * as path from 'node:path';
import type { CodeOpsContext } from './context';
import type { AppServerStatusBar } from './statusBar';
import type { TimelineRecorder } from './timelineRecorder';
import { loadBundle } from '../core/codeCache';
import { registerCommand } from './commands';

type TimelineViewModule = typeof import('./timelineView');
type RecorderModule = typeof import('./timelineRecorder');

/**
 * The Server Timeline. The recorder (dist/timeline.js) starts right after activation returns,
 * before the app server's automatic start (its timer is set first), so it sees every event;
 * the view (dist/timelineView.js) loads on the first "Show Server Timeline".
 */
export function registerTimeline(ctx: CodeOpsContext, statusBar: AppServerStatusBar): void {
  const dist = path.join(ctx.extension.extensionPath, 'dist');
  // runtime paths keep the recorder and the webview out of dist/extension.js
  let recorder: TimelineRecorder | undefined;
  const recording = (): TimelineRecorder => (recorder ??= (loadBundle(path.join(dist, 'timeline.js')) as RecorderModule).startRecorder(ctx, statusBar));
  const starting = setTimeout(recording, 0);
  let view: { show(): void } | undefined;
  ctx.subscriptions.push(
    { dispose: () => clearTimeout(starting) },
    registerCommand('codeOps.appServer.showTimeline', () => {
      if (!view) {
        const mod = loadBundle(path.join(dist, 'timelineView.js')) as TimelineViewModule;
        view = new mod.TimelineView(recording().timeline, ctx);
      }
      view.show();
    }),
  );
}
