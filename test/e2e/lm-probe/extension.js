// Test-only extension for test/e2e/agent.e2e.ts: plays the agent. It lists the language-model
// tools and calls Agent Sandbox's through vscode.lm.invokeTool, writing what it saw to a JSON file
// ($AGENT_SANDBOX_PROBE_OUT) after every step, so the journey can follow along.
const fs = require('node:fs');
const vscode = require('vscode');

function activate(context) {
  context.subscriptions.push(
    vscode.commands.registerCommand('agentSandboxProbe.run', async () => {
      const out = process.env.AGENT_SANDBOX_PROBE_OUT;
      const claim = process.env.AGENT_SANDBOX_PROBE_CLAIM;
      const seen = { tools: [], steps: [] };
      const save = () => fs.writeFileSync(out, JSON.stringify(seen, null, 2));
      const invoke = async (name, input) => {
        try {
          const r = await vscode.lm.invokeTool(name, { input, toolInvocationToken: undefined }, new vscode.CancellationTokenSource().token);
          const text = r.content.map((p) => (p instanceof vscode.LanguageModelTextPart ? p.value : '')).join('');
          seen.steps.push({ name, text });
        } catch (err) {
          seen.steps.push({ name, error: String(err && err.message ? err.message : err) });
        }
        save();
      };
      seen.tools = vscode.lm.tools.filter((t) => t.name.startsWith('agentSandbox_')).map((t) => t.name);
      save();
      await invoke('agentSandbox_listWarmPools', {});
      await invoke('agentSandbox_claimSandbox', { pool: 'python-pool', name: claim });
      await invoke('agentSandbox_runCommand', { sandbox: claim, argv: ['uname', '-r'] });
      seen.done = true;
      save();
    }),
  );
}

module.exports = { activate, deactivate() {} };
