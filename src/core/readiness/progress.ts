import { allItems, type Checklist, type ChecklistItem, type ChecklistSection } from './model';

export interface Progress {
  /** Checkbox items ticked */
  done: number;
  /** Checkbox items */
  total: number;
}

/** Sign-off progress: ticked checkbox items over all checkbox items (automatic-only items are not signed). */
export function progressOf(scope: Checklist | ChecklistSection | ChecklistSection[] | ChecklistItem, isChecked: (item: ChecklistItem) => boolean): Progress {
  let done = 0;
  let total = 0;
  const items = 'checkbox' in scope ? walk(scope) : allItems(scope);
  for (const item of items) {
    if (!item.checkbox) continue;
    total++;
    if (isChecked(item)) done++;
  }
  return { done, total };
}

function* walk(item: ChecklistItem): Generator<ChecklistItem> {
  yield item;
  for (const c of item.children) yield* walk(c);
}
