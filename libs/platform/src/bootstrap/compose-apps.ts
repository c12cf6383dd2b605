import { AppDefinition } from './create-app';

/** Several apps as one process: their modules side by side, each still owning its own schema. */
export function composeApps(name: string, apps: AppDefinition[]): AppDefinition {
  return {
    name,
    imports: apps.flatMap((app) => app.imports),
    databases: apps.flatMap((app) => app.databases),
    settings: [...new Set(apps.flatMap((app) => app.settings ?? []))],
    answersMessages: apps.some((app) => app.answersMessages),
    configure: (nestApp) => apps.forEach((app) => app.configure?.(nestApp)),
  };
}
