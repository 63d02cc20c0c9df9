import { fileURLToPath } from 'node:url';
import { loadTemplate } from '../../local/template/index.js';

export const PROJECT_TEMPLATE = fileURLToPath(new URL('../../template.yaml', import.meta.url));

/** `METHOD /path` of every route of template.yaml that the bearer authorizer guards, as the rule table writes them. */
export async function protectedTemplateRoutes(): Promise<string[]> {
  const keyA = { ref: 'key-a', attributes: { Arn: 'arn:aws:kms:us-east-1:000000000000:key/key-a' } };
  const template = await loadTemplate(PROJECT_TEMPLATE, { resources: { SigningKeyA: keyA } });
  const routes: string[] = [];
  for (const fn of Object.values(template.functions)) {
    for (const event of fn.apiEvents) {
      const api = template.apis[event.restApiLogicalId]!;
      const authorizer = event.authorizer ?? api.defaultAuthorizer;
      if (authorizer !== undefined && authorizer !== 'NONE') routes.push(`${event.method} ${event.path}`);
    }
  }
  return routes.sort();
}

/** Every template route, guarded or not. */
export async function allTemplateRoutes(): Promise<string[]> {
  const keyA = { ref: 'key-a', attributes: { Arn: 'arn:aws:kms:us-east-1:000000000000:key/key-a' } };
  const template = await loadTemplate(PROJECT_TEMPLATE, { resources: { SigningKeyA: keyA } });
  return Object.values(template.functions)
    .flatMap((fn) => fn.apiEvents.map((event) => `${event.method} ${event.path}`))
    .sort();
}
