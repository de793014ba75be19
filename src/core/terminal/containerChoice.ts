/** How to pick the container for a shell: the setting, a picker for several, else the API default. */
export type ContainerDecision =
  { kind: 'use'; container: string | undefined; note?: string | undefined } | { kind: 'pick'; options: string[]; note?: string | undefined };

/**
 * `names` are the pod template's containers, main (first) first. A setting naming one of them
 * wins; a single container (or none known) leaves the choice to the API server, whose default is
 * the main container; several containers ask the user.
 */
export function decideContainer(names: string[], setting: string | undefined): ContainerDecision {
  const wanted = setting?.trim();
  if (wanted && (names.length === 0 || names.includes(wanted))) return { kind: 'use', container: wanted };
  const note = wanted ? `Container "${wanted}" (agentSandbox.terminal.container) is not in this sandbox; it has ${names.join(', ')}.` : undefined;
  if (names.length <= 1) return { kind: 'use', container: undefined, note };
  return { kind: 'pick', options: names, note };
}
