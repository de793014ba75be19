import type { ForwardManager } from '../../forwards/forwardManager';
import { pickForwards } from './forwardItems';

/** Stop Port Forward: the forward with this id (from code), else the ones picked. */
export async function stopForward(forwards: ForwardManager, id?: number): Promise<void> {
  if (id !== undefined) return forwards.stop(id);
  const picked = await pickForwards(forwards, 'Stop which port forwards?');
  for (const f of picked) await forwards.stop(f.id);
}
