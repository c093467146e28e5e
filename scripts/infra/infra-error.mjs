// The one error type of the infrastructure scripts: which component failed, what happened and what to do about it,
// so the CLI can print exactly one actionable line per problem.

export class InfraError extends Error {
  /**
   * @param {string} component e.g. "postgres"
   * @param {string} problem what failed, without a trailing period
   * @param {string} remedy what the developer should do next
   */
  constructor(component, problem, remedy) {
    super(`${problem}. ${remedy}`);
    this.name = "InfraError";
    this.component = component;
    this.problem = problem;
    this.remedy = remedy;
  }
}

/** Wraps anything thrown while preparing a component so the report always has the component name and a remedy. */
export function toInfraError(component, caught, remedy) {
  if (caught instanceof InfraError) return caught;
  const message = caught instanceof Error ? caught.message : String(caught);
  return new InfraError(component, firstLine(message), remedy);
}

export function firstLine(text) {
  return (
    String(text)
      .split("\n")
      .find((line) => line.trim() !== "") ?? ""
  )
    .trim()
    .slice(0, 300);
}
