/** The outcome of an exec, read from the status channel (a metav1.Status JSON document). */
/** `closeCode`: the websocket close code when the socket closed without a status (classified in codes.ts). */
export type ExecResult =
  | { kind: 'exited'; code: number }
  | { kind: 'failed'; message: string; reason?: string | undefined }
  | { kind: 'lost'; message: string; closeCode?: number | undefined };

interface StatusDoc {
  status?: string;
  message?: string;
  reason?: string;
  details?: { causes?: { reason?: string; message?: string }[] };
}

export function parseStatus(text: string): ExecResult {
  let doc: StatusDoc;
  try {
    doc = JSON.parse(text) as StatusDoc;
  } catch {
    return { kind: 'failed', message: text.trim() || 'unreadable status from the server' };
  }
  if (doc.status === 'Success') return { kind: 'exited', code: 0 };
  if (doc.reason === 'NonZeroExitCode') {
    const cause = doc.details?.causes?.find((c) => c.reason === 'ExitCode');
    const code = Number(cause?.message);
    if (Number.isInteger(code)) return { kind: 'exited', code };
  }
  // Some kubelets (kwok, virtual-kubelet providers) wrap Go's *exec.ExitError instead of
  // returning it, so the kubelet's type check misses it and reports an InternalError ending in
  // "exit status N". The process did exit with N: report that, not a session failure.
  const wrapped = doc.reason === 'InternalError' ? /\bexit status (\d{1,3})\s*$/.exec(doc.message ?? '') : null;
  if (wrapped) return { kind: 'exited', code: Number(wrapped[1]) };
  return { kind: 'failed', message: doc.message ?? 'the command failed', reason: doc.reason };
}
