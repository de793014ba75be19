/**
 * Every command the extension contributes, in one typed list. A unit test checks it against
 * package.json both ways, so a renamed or forgotten command fails the build rather than the user.
 */
export const COMMAND_IDS = [
  'agentSandbox.refresh',
  'agentSandbox.retry',
  'agentSandbox.switchContext',
  'agentSandbox.chooseNamespaces',
  'agentSandbox.pickKubeconfig',
  'agentSandbox.showLog',
  'agentSandbox.hibernate',
  'agentSandbox.resume',
  'agentSandbox.newClaim',
  'agentSandbox.delete',
  'agentSandbox.scalePool',
  'agentSandbox.copyName',
  'agentSandbox.copyFqdn',
  'agentSandbox.showYaml',
] as const;

export type CommandId = (typeof COMMAND_IDS)[number];
