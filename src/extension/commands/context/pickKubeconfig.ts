import * as vscode from 'vscode';
import { writeUserSetting } from '../../config';

/** Choose Kubeconfig File…: the setting's change reloads the manager. */
export async function pickKubeconfig(): Promise<void> {
  const files = await vscode.window.showOpenDialog({ title: 'Choose a kubeconfig file', canSelectMany: false, openLabel: 'Use this kubeconfig' });
  const [file] = files ?? [];
  if (!file) return;
  await writeUserSetting('kubeconfig', file.fsPath);
}
