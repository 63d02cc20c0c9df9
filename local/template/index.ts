// The public surface of the template reader; see load.ts for the order of use.
export type { ApiDescription, GatewayHeaderValue, RequestParameterSource, GatewayResponseDescription, LambdaAuthorizerDescription, MethodSettingDescription } from './api.js';
export { parseTemplate, readTemplate, type TemplateDocument } from './document.js';
export {
  ALL_FUNCTIONS,
  applyEnvironmentOverrides,
  InvalidEnvironmentOverridesError,
  parseEnvironmentOverrides,
  type EnvironmentOverrides,
} from './env-overrides.js';
export * from './errors.js';
export type { ApiEventDescription, FunctionDescription } from './functions.js';
export { describeFunctions } from './functions.js';
export type { ResourceValue } from './intrinsics.js';
export { describeKmsKeys, type KmsKeyDescription } from './kms-keys.js';
export { loadTemplate, resolveTemplate, type LoadedTemplate } from './load.js';
export type { OutputDescription } from './outputs.js';
export type { ParameterDescription, ParameterOverride } from './parameters.js';
export { buildStack, DEFAULT_PSEUDO_PARAMETERS, type PseudoParameters, type ResolutionInputs, type Stack } from './stack.js';
export { describeTables, type TableDescription } from './tables.js';
