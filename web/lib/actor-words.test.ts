import { describe, expect, it } from 'vitest';
import { SYSTEM_ACTOR_WORDS } from '../../server/contracts/actors.ts';
import { nonStaffActorName } from './actor-words';

describe('nonStaffActorName', () => {
  it('names audit records\' "<type>:<id>" actors in words', () => {
    expect(nonStaffActorName('system:auto-block-rule')).toBe('Auto-block rule');
    expect(nonStaffActorName('system:demo-seed')).toBe('Demo seed');
    expect(nonStaffActorName('system:something-new')).toBe('Creditdesk (automatic)');
    expect(nonStaffActorName('stripe:evt_123')).toBe('Stripe');
    expect(nonStaffActorName('service:product')).toBe('the product (API key)');
  });

  it("uses the record's actor type when it has one, and leaves staff ids to the directory", () => {
    expect(nonStaffActorName('system')).toBe('Creditdesk (automatic)');
    expect(nonStaffActorName('auto-block-rule', 'system')).toBe('Auto-block rule');
    expect(nonStaffActorName('key_1', 'service')).toBe('the product (API key)');
    expect(nonStaffActorName('JL9BSOabc', 'staff')).toBeNull();
    expect(nonStaffActorName('JL9BSOabc')).toBeNull();
    expect(nonStaffActorName(null)).toBeNull();
  });

  it('has words for every automatic actor the server can record (the command-line tools too)', () => {
    for (const [id, words] of Object.entries(SYSTEM_ACTOR_WORDS)) {
      expect(nonStaffActorName(`system:${id}`)).toBe(words);
      expect(nonStaffActorName(id, 'system')).toBe(words);
    }
    expect(nonStaffActorName('system:catalog-import-cli')).toBe('Catalog import (command line)');
  });
});
