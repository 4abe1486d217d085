// Control: age an event, for tests of what becomes of older events: Stripe lists and returns only
// the last 30 days of events, and reconciliation re-lists from a few days before the newest event
// it has. Real Stripe has no such call (an event's `created` is when it happened); the emulator's
// clock is the real one, so this is the way to have an event from last week.
import type { Router } from '../http/router.ts';
import { invalidRequest } from '../wire/errors.ts';
import { render } from '../wire/render.ts';
import { optNumber, type ControlHandler } from './context.ts';

export function registerEventControls(r: Router<ControlHandler>): void {
  r.post('/_emulator/events/:id/age', ({ emu, body, path }) => {
    const seconds = optNumber(body, 'seconds');
    if (seconds === undefined || seconds < 0) throw invalidRequest('seconds must be a number, 0 or more', 'seconds');
    const event = emu.store.require('event', path.id as string);
    event.created -= Math.round(seconds);
    emu.store.touch();
    return render(emu.store, event);
  });
}
