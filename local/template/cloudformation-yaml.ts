// Reads CloudFormation YAML into the JSON form CloudFormation itself works on: the short-form tags
// (`!Ref X`, `!GetAtt A.B`, `!Sub ...`) become their long forms (`{ Ref: X }`, `{ "Fn::GetAtt": [A, B] }`,
// `{ "Fn::Sub": ... }`), so the resolver only ever deals with one notation.
import { isAlias, isMap, isScalar, isSeq, parseDocument, type Document, type Node } from 'yaml';
import { InvalidTemplateError } from './errors.js';

const FUNCTION_TAGS = new Set([
  'Base64', 'Cidr', 'FindInMap', 'GetAZs', 'GetAtt', 'If', 'ImportValue', 'Join', 'Select', 'Split', 'Sub',
  'Equals', 'Not', 'And', 'Or', 'Length', 'ToJsonString', 'Transform',
]);

export function parseCloudFormationYaml(text: string, fileName: string): unknown {
  const doc = parseDocument(text, { prettyErrors: true, uniqueKeys: true });
  if (doc.errors.length > 0) {
    throw new InvalidTemplateError(`${fileName}: ${doc.errors.map((e) => e.message).join('\n')}`);
  }
  return toJson(doc.contents, doc, fileName);
}

function toJson(node: unknown, doc: Document, fileName: string): unknown {
  if (node === null || node === undefined) return null;
  if (isAlias(node)) return toJson(node.resolve(doc), doc, fileName);
  let value: unknown;
  if (isScalar(node)) {
    value = node.value;
  } else if (isMap(node)) {
    const object: Record<string, unknown> = {};
    for (const pair of node.items) {
      const key = toJson(pair.key, doc, fileName);
      object[String(key)] = toJson(pair.value, doc, fileName);
    }
    value = object;
  } else if (isSeq(node)) {
    value = node.items.map((item) => toJson(item, doc, fileName));
  } else {
    throw new InvalidTemplateError(`${fileName}: unexpected YAML node`);
  }
  const tag = (node as Node).tag;
  return tag?.startsWith('!') && !tag.startsWith('!!') ? expandShortForm(tag.slice(1), value, node as Node, fileName) : value;
}

function expandShortForm(name: string, value: unknown, node: Node, fileName: string): unknown {
  if (name === 'Ref' || name === 'Condition') return { [name]: value };
  if (!FUNCTION_TAGS.has(name)) {
    const line = node.range ? ` (offset ${node.range[0]})` : '';
    throw new InvalidTemplateError(`${fileName}: unknown CloudFormation tag !${name}${line}`);
  }
  // `!GetAtt Resource.Attribute` is the one short form whose scalar spelling differs from the long form;
  // attribute names may themselves contain dots (Endpoint.Address), so split on the first one only.
  if (name === 'GetAtt' && typeof value === 'string') {
    const dot = value.indexOf('.');
    return { 'Fn::GetAtt': dot < 0 ? [value] : [value.slice(0, dot), value.slice(dot + 1)] };
  }
  return { [`Fn::${name}`]: value };
}
