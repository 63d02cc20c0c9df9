// The method request's values as gateway response header mappings see them: `method.request.header.X`
// (the last value), `multivalueheader.X` (all values, comma-joined), `path.X`, `querystring.X` and
// `multivaluequerystring.X`, and `stageVariables.X` ("Parameter mapping source reference for REST APIs").
import type { RequestParameterSource } from '../template/index.js';
import { HeaderList, parseQuery, type RequestFacts } from './proxy-event.js';

export type RequestParameterLookup = (source: RequestParameterSource, name: string) => string | undefined;

export function requestParameters(
  facts: Pick<RequestFacts, 'rawHeaders' | 'rawQuery'>,
  pathParameters: Readonly<Record<string, string>> | null,
  stageVariables: Readonly<Record<string, string>> = {},
): RequestParameterLookup {
  let headers: ReturnType<HeaderList['maps']> | undefined;
  let query: ReturnType<typeof parseQuery> | undefined;
  const headerValues = (name: string) => {
    headers ??= new HeaderList(facts.rawHeaders).maps();
    const wanted = name.toLowerCase();
    return Object.entries(headers.multi).find(([key]) => key.toLowerCase() === wanted)?.[1];
  };
  const queryValues = (name: string) => {
    query ??= parseQuery(facts.rawQuery);
    return query.multi?.[name];
  };
  return (source, name) => {
    switch (source) {
      case 'header':
        return headerValues(name)?.at(-1);
      case 'multivalueheader':
        return headerValues(name)?.join(',');
      case 'querystring':
        return queryValues(name)?.at(-1);
      case 'multivaluequerystring':
        return queryValues(name)?.join(',');
      case 'path':
        return pathParameters?.[name];
      case 'stageVariables':
        return stageVariables[name];
    }
  };
}
