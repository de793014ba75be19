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
  'agentSandbox.showDetails',
  'agentSandbox.showLogs',
  'agentSandbox.showPool',
  'agentSandbox.editYaml',
  'agentSandbox.forwardPort',
  'agentSandbox.listForwards',
  'agentSandbox.stopForward',
  'agentSandbox.openTerminal',
  'agentSandbox.runCommand',
  'agentSandbox.files.newFile',
  'agentSandbox.files.newFolder',
  'agentSandbox.files.rename',
  'agentSandbox.files.delete',
  'agentSandbox.files.upload',
  'agentSandbox.files.download',
  'agentSandbox.files.openInWorkspace',
  'agentSandbox.files.refresh',
  'agentSandbox.hibernateIdle',
] as const;

export type CommandId = (typeof COMMAND_IDS)[number];
