/** The readiness checklist: model, automatic checks, sign-off state, report (plain Node: the CLI uses it too). */
import { BUILTIN_CHECKLIST_NAME } from './checklistText';

export * from './model';
export * from './catalog';
export * from './checks';
export * from './state';
export * from './report';
export * from './progress';
export * from './posts';
export * from './session';
export { builtinChecklist, loadChecklistFile } from './checklistFile';
export { parseChecklist, setTaskChecked, githubAnchor, slug } from './markdown';
export { applyPermissionsFix } from '../permissions';
export { BUILTIN_CHECKLIST, BUILTIN_CHECKLIST_NAME } from './checklistText';

export const BUILTIN_SOURCE_NAME = BUILTIN_CHECKLIST_NAME;
