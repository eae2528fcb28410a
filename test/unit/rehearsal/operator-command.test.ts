import { describe, expect, it } from 'vitest';
import { ChaosError } from '../../../harness/errors.js';
import { completeCommand, helpText, parseOperatorCommand } from '../../../harness/rehearsal/operator-command.js';

const ids = (): ((kind: string) => string) => {
  let n = 0;
  return (kind) => `${kind}-${(n += 1)}`;
};
const parse = (line: string) => parseOperatorCommand(line, ids());

describe('the operator command language', () => {
  it('turns an inject into the timeline step a scenario would hold', () => {
    expect(parse('inject latency any->offline-messages latency=3000 jitter=100')).toEqual({
      kind: 'step',
      action: { do: 'inject', id: 'inject-1', target: { links: { from: 'any', to: { group: 'offline-messages' } } }, toxic: { type: 'latency', attributes: { latency: 3000, jitter: 100 } } },
    });
    expect(parse('inject bandwidth clients->supernodes@30% rate=10 stream=upstream toxicity=0.5 as slow')).toEqual({
      kind: 'step',
      action: {
        do: 'inject',
        id: 'slow',
        target: { links: { from: 'clients', to: { group: 'supernodes', fraction: 0.3 } } },
        toxic: { type: 'bandwidth', stream: 'upstream', toxicity: 0.5, attributes: { rate: 10 } },
      },
    });
  });

  it('reads cut, up, crash, pause, add, heal, mark and the session commands', () => {
    expect(parse('cut clients->supernodes@2')).toMatchObject({ action: { do: 'cut', id: 'cut-1', target: { links: { from: 'clients', to: { group: 'supernodes', count: 2 } } } } });
    expect(parse('up cut-1')).toEqual({ kind: 'step', action: { do: 'heal', id: 'cut-1' } });
    expect(parse('crash supernodes 50% restart=2h')).toEqual({
      kind: 'step',
      action: { do: 'crash', id: 'crash-1', target: { nodes: { group: 'supernodes', fraction: 0.5 } }, restartAfter: { kind: 'fixed', value: '2h' } },
    });
    expect(parse('pause offline-messages')).toEqual({ kind: 'step', action: { do: 'pause', id: 'pause-1', target: { nodes: { group: 'offline-messages' } } } });
    expect(parse('add 3 mega')).toMatchObject({ action: { do: 'add-supernodes', count: 3, tuning: 'mega' } });
    expect(parse('heal inject-1')).toEqual({ kind: 'step', action: { do: 'heal', id: 'inject-1' } });
    expect(parse('heal all')).toEqual({ kind: 'heal-all' });
    expect(parse('mark  the storm begins ')).toEqual({ kind: 'step', action: { do: 'mark', label: 'the storm begins' } });
    expect(parse('end')).toEqual({ kind: 'end' });
    expect(parse('help cut')).toEqual({ kind: 'help', topic: 'cut' });
  });

  it('leaves what a step holds to the step validation (values pass through as written)', () => {
    expect(parse('inject latency any->offline-messages latency=3s')).toMatchObject({ action: { toxic: { attributes: { latency: '3s' } } } });
    expect(parse('crash fleet 30%')).toMatchObject({ action: { target: { nodes: { group: 'fleet', fraction: 0.3 } } } });
  });

  it('refuses lines that are not commands, naming the usage', () => {
    const refusal = (line: string): ChaosError => {
      try {
        parse(line);
      } catch (error) {
        return error as ChaosError;
      }
      throw new Error(`accepted ${line}`);
    };
    expect(refusal('explode').describe()).toBe('INVALID_CONFIG: unknown command "explode"; type help for the commands');
    expect(refusal('inject latency').message).toContain('needs the links');
    expect(refusal('inject latency offline-messages').message).toContain('is not a link group');
    expect(refusal('cut any->supernodes@lots').message).toBe('"lots" is not a share (write 30% or a count such as 2)');
    expect(refusal('heal').hint).toBe('usage: heal <id> | heal all');
    expect(refusal('pause supernodes 2 restart=1h').message).toBe('pause takes no restart');
    expect(refusal('').message).toBe('empty command');
  });

  it('completes commands, toxic types, link groups and fault ids', () => {
    const context = { toxicTypes: ['latency', 'limit_data'], faultIds: ['inject-1', 'cut-2'] };
    expect(completeCommand('cr', context)).toEqual([['crash'], 'cr']);
    expect(completeCommand('inject l', context)).toEqual([['latency', 'limit_data'], 'l']);
    expect(completeCommand('inject latency any->o', context)[0]).toEqual(['any->offline-messages']);
    expect(completeCommand('heal ', context)[0]).toEqual(['all', 'inject-1', 'cut-2']);
    expect(completeCommand('crash s', context)[0]).toEqual(['supernodes']);
  });

  it('has help for every command', () => {
    expect(helpText()).toContain('inject <toxic> <from>-><group>');
    expect(helpText('heal')).toContain('heal <id> | heal all');
    expect(helpText('nope')).toContain('no command "nope"');
  });
});
