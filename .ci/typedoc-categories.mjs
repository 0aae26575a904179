// A TypeDoc plugin (typedoc.json `plugin`): the API reference is grouped by policy with `@category`
// tags, so an export that has none would land in a catch-all "Other" section. It warns for each one,
// and `treatWarningsAsErrors` turns that into a failure of `npm run docs` and `npm run docs:check`.
import { Application, ReflectionKind } from 'typedoc';

/** @param {import('typedoc').Application} app */
export function load(app) {
  app.on(Application.EVENT_VALIDATE_PROJECT, (project) => {
    const fallback = app.options.getValue('defaultCategory');
    const order = app.options.getValue('categoryOrder').filter((title) => title !== '*');
    // With several entry points (the root and each subpath) the categories live on each module; a
    // module none of whose exports has a tag has no categories at all, so every export is reported.
    const children = project.children ?? [];
    const modules =
      children.length > 0 && children.every((c) => c.kindOf(ReflectionKind.Module)) ? children : [project];
    for (const module of modules) {
      if (module.categories === undefined) {
        for (const child of module.children ?? []) {
          app.logger.warn(
            `${child.getFullName()} has no @category tag of the API reference (one of: ${order.join(', ')})`,
          );
        }
      }
    }
    for (const category of modules.flatMap((module) => module.categories ?? [])) {
      if (category.title === fallback || !order.includes(category.title)) {
        for (const child of category.children) {
          app.logger.warn(
            `${child.getFullName()} has no @category tag of the API reference (one of: ${order.join(', ')})` +
              (category.title === fallback ? '' : `; "${category.title}" is not in typedoc.json categoryOrder`),
          );
        }
      }
    }
  });
}
