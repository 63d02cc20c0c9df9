// Typed failures of template reading and resolution, so the local stack and its tests can tell a typo in
// a parameter name from a resource the caller forgot to provide without parsing messages. Every message
// names the offending item and the template location (`Resources.X.Properties...`) where it was met.

export class TemplateError extends Error {
  override readonly name: string = 'TemplateError';
}

/** The YAML is not valid, or a section does not have the shape CloudFormation/SAM requires. */
export class InvalidTemplateError extends TemplateError {
  override readonly name = 'InvalidTemplateError';
}

/** `Ref`/`Fn::GetAtt`/`Fn::Sub` named something that is neither a parameter, a pseudo parameter nor a resource. */
export class UnknownReferenceError extends TemplateError {
  override readonly name = 'UnknownReferenceError';
  constructor(
    readonly reference: string,
    readonly location: string,
  ) {
    super(`Unknown reference "${reference}" at ${location}: no parameter, pseudo parameter or resource has that name`);
  }
}

/** The resource is declared but its Condition is false, so (as in CloudFormation) it does not exist. */
export class AbsentResourceError extends TemplateError {
  override readonly name = 'AbsentResourceError';
  constructor(
    readonly logicalId: string,
    readonly condition: string,
    readonly location: string,
  ) {
    super(`Resource "${logicalId}" is referenced at ${location} but does not exist: its condition "${condition}" is false`);
  }
}

/** The resource exists, but the caller supplied no local value (physical id / attributes) for it. */
export class MissingResourceValueError extends TemplateError {
  override readonly name = 'MissingResourceValueError';
  constructor(
    readonly logicalId: string,
    readonly detail: string,
    readonly location: string,
  ) {
    super(`Resource "${logicalId}" is referenced at ${location} but ${detail}`);
  }
}

/** An intrinsic function or feature that this local emulation does not implement. */
export class UnsupportedFeatureError extends TemplateError {
  override readonly name = 'UnsupportedFeatureError';
}

/** A parameter value (default or override) breaks the parameter's declared constraints, or is missing. */
export class InvalidParameterValueError extends TemplateError {
  override readonly name = 'InvalidParameterValueError';
  constructor(
    readonly parameter: string,
    detail: string,
  ) {
    super(`Parameter "${parameter}": ${detail}`);
  }
}

/** A `Rules` assertion is false for the given parameter values; CloudFormation would refuse the stack. */
export class RuleAssertionError extends TemplateError {
  override readonly name = 'RuleAssertionError';
  constructor(
    readonly rule: string,
    readonly description: string | undefined,
  ) {
    super(`Rule "${rule}" failed${description ? `: ${description}` : ''}`);
  }
}
