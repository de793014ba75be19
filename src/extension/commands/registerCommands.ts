import type * as vscode from 'vscode';
import { isFileNode } from '../files/fileTree';
import { isSandboxUri } from '../files/uris';
import type { Services } from '../services';
import { showAgentActivity } from './agent/showAgentActivity';
import { isResourceNode, isSandboxGroup, nodeAndPortArgs, nodeArgs, numberArg, oneOf } from './args';
import { newClaim } from './claim/newClaim';
import { chooseNamespaces } from './context/chooseNamespaces';
import { pickKubeconfig } from './context/pickKubeconfig';
import { refreshView } from './context/refreshView';
import { retryConnection } from './context/retryConnection';
import { switchContext } from './context/switchContext';
import { createFile, createFolder } from './file/createFile';
import { deleteFiles } from './file/deleteFiles';
import { downloadFile } from './file/downloadFile';
import { openFolderInWorkspace } from './file/openFolderInWorkspace';
import { renameFile } from './file/renameFile';
import { searchFiles } from './file/searchFiles';
import { uploadFiles } from './file/uploadFiles';
import { hibernateIdleInGroup } from './finops/hibernateIdleInGroup';
import { hibernateIdleSandboxes } from './finops/hibernateIdleSandboxes';
import { forwardSandboxPort } from './forward/forwardSandboxPort';
import { listForwards } from './forward/listForwards';
import { stopForward } from './forward/stopForward';
import { scalePool } from './pool/scalePool';
import { showPool } from './pool/showPool';
import { openSandboxPreview } from './preview/openSandboxPreview';
import { setRouterUrl } from './preview/setRouterUrl';
import { copyResourceName } from './resource/copyResourceName';
import { copyServiceFqdn } from './resource/copyServiceFqdn';
import { deleteResource } from './resource/deleteResource';
import { editResourceYaml } from './resource/editResourceYaml';
import { showResourceYaml } from './resource/showResourceYaml';
import { hibernateSandbox } from './sandbox/hibernateSandbox';
import { resumeSandbox } from './sandbox/resumeSandbox';
import { showSandboxDetails } from './sandbox/showSandboxDetails';
import { showSandboxLogs } from './sandbox/showSandboxLogs';
import { showSessions } from './session/showSessions';
import { register } from './support';
import { openTerminalInSandbox } from './terminal/openTerminalInSandbox';
import { runCommandInSandbox } from './terminal/runCommandInSandbox';
import { filterSandboxes } from './view/filterSandboxes';
import { revealSandbox } from './view/revealSandbox';

/**
 * Every command, in one table: its ID (src/shared/commandIds.ts), how its arguments are read
 * (./args: the clicked node and the selection, a port or an id from code) and its handler, one
 * file per command in commands/<resource>/. A handler given no node asks with a picker, so the
 * same command works from the palette and from a context menu.
 */
export function registerCommands(s: Services): vscode.Disposable[] {
  const resource = nodeArgs(isResourceNode);
  const file = nodeArgs(isFileNode);
  const fileOrSandbox = nodeArgs(oneOf(isFileNode, isResourceNode));
  const withPort = nodeAndPortArgs(isResourceNode);
  const uploadArgs = nodeArgs(oneOf(isFileNode, isResourceNode, isSandboxUri));
  const downloadArgs = nodeArgs(oneOf(isFileNode, isSandboxUri));
  const sandboxGroup = nodeArgs(isSandboxGroup);
  return [
    // The cluster connection and what it shows.
    register(s, 'agentSandbox.refresh', () => refreshView(s)),
    register(s, 'agentSandbox.retry', () => retryConnection(s)),
    register(s, 'agentSandbox.showLog', () => s.log.show()),
    register(s, 'agentSandbox.switchContext', () => switchContext(s)),
    register(s, 'agentSandbox.chooseNamespaces', () => chooseNamespaces(s)),
    register(s, 'agentSandbox.pickKubeconfig', () => pickKubeconfig()),
    // Sandboxes, claims and warm pools.
    register(s, 'agentSandbox.hibernate', (node, selection) => hibernateSandbox(s, node, selection), resource),
    register(s, 'agentSandbox.resume', (node, selection) => resumeSandbox(s, node, selection), resource),
    register(s, 'agentSandbox.newClaim', (node) => newClaim(s, node), resource),
    register(s, 'agentSandbox.delete', (node, selection) => deleteResource(s, node, selection), resource),
    register(s, 'agentSandbox.scalePool', (node) => scalePool(s, node), resource),
    register(s, 'agentSandbox.copyName', (node) => copyResourceName(s, node), resource),
    register(s, 'agentSandbox.copyFqdn', (node) => copyServiceFqdn(s, node), resource),
    register(s, 'agentSandbox.showYaml', (node) => showResourceYaml(s, node), resource),
    register(s, 'agentSandbox.editYaml', (node) => editResourceYaml(s, node), resource),
    register(s, 'agentSandbox.showDetails', (node) => showSandboxDetails(s, node), resource),
    register(s, 'agentSandbox.showLogs', (node) => showSandboxLogs(s, node), resource),
    register(s, 'agentSandbox.showPool', (node) => showPool(s, node), resource),
    // Reach: port forwards and previews (a row's tooltip links pass [node, port]).
    register(s, 'agentSandbox.forwardPort', (node, port) => forwardSandboxPort(s, node, port), withPort),
    register(s, 'agentSandbox.listForwards', () => listForwards(s.forwards)),
    register(s, 'agentSandbox.stopForward', (id) => stopForward(s.forwards, id), numberArg),
    register(s, 'agentSandbox.openPreview', (node, port) => openSandboxPreview(s, node, port), withPort),
    register(s, 'agentSandbox.setRouterUrl', () => setRouterUrl(s, s.tokens)),
    // Terminals.
    register(s, 'agentSandbox.openTerminal', (node, selection) => openTerminalInSandbox(s, node, selection), resource),
    register(s, 'agentSandbox.runCommand', runCommandInSandbox(s), resource),
    register(s, 'agentSandbox.sessions', (node) => showSessions(s, node), resource),
    // A sandbox's files (the Explorer passes a Uri to Upload and Download).
    register(s, 'agentSandbox.files.newFile', (node) => createFile(s.files, node), file),
    register(s, 'agentSandbox.files.newFolder', (node) => createFolder(s.files, node), file),
    register(s, 'agentSandbox.files.rename', (node) => renameFile(node), file),
    register(s, 'agentSandbox.files.delete', (node, selection) => deleteFiles(s.files, node, selection), file),
    register(s, 'agentSandbox.files.upload', (node) => uploadFiles(s, node), uploadArgs),
    register(s, 'agentSandbox.files.download', (node) => downloadFile(s.files, node), downloadArgs),
    register(s, 'agentSandbox.files.openInWorkspace', (node) => openFolderInWorkspace(s, node), fileOrSandbox),
    register(
      s,
      'agentSandbox.files.refresh',
      (node) => {
        if (node) s.files.tree.refresh(node);
      },
      file,
    ),
    register(s, 'agentSandbox.files.search', searchFiles(s), fileOrSandbox),
    // Cost, agents and the tree at fleet size.
    register(s, 'agentSandbox.hibernateIdle', () => hibernateIdleSandboxes(s)),
    register(s, 'agentSandbox.hibernateIdleInGroup', (node) => hibernateIdleInGroup(s, node), sandboxGroup),
    register(s, 'agentSandbox.showAgentActivity', () => showAgentActivity(s, s.agentTools.calls)),
    register(s, 'agentSandbox.filterSandboxes', () => filterSandboxes(s)),
    register(s, 'agentSandbox.clearFilter', () => s.tree.setFilter({})),
    register(s, 'agentSandbox.groupByOwner', () => s.tree.setGrouping('owner')),
    register(s, 'agentSandbox.groupByState', () => s.tree.setGrouping('state')),
    register(s, 'agentSandbox.revealSandbox', () => revealSandbox(s)),
  ];
}
