import { defineScenario } from '../harness/scenario/define-scenario.js';
import { skype2010 } from './skype-2010.js';

const p2p = skype2010.architectures.p2p;
if (p2p?.outage === undefined) throw new Error('skype-2010 must define its p2p outage signature');

/**
 * Counterfactual: skype-2010 on p2p with no mega-supernodes. If the remedy is what ended the 2010
 * outage, the network without it stays below half its clients online to the end of the run.
 */
export const skype2010NoRemedy = defineScenario({
  ...skype2010,
  // Measured and calibrated at two seconds a scenario hour over 40 hours: kept there.
  timeScale: { oneHour: '2s' },
  duration: '40h',
  name: 'skype-2010-no-remedy',
  description:
    'Counterfactual of skype-2010: the same trigger and the same p2p network, but nobody adds the ' +
    'mega-supernodes. The cascade has nothing to stop it: the network stays below 50% online to the end.',
  architectures: {
    p2p: {
      ...p2p,
      outage: { ...p2p.outage, maxOnlineAfterLowPoint: 0.5 },
    },
  },
  timeline: skype2010.timeline.filter((step) => step.action.do !== 'add-supernodes' && (step.only === undefined || step.only.includes('p2p'))),
  controls: [
    {
      name: 'no-self-protection',
      architecture: 'p2p',
      sabotages: 'peers never shut themselves off in overload (nor turn logins away): nothing amplifies the loss',
      set: { 'architectures.p2p.topology.supernode.overloadThreshold': 1_000 },
      mustBreak: ['minCascadeAmplification', 'maxOnlineLowPoint', 'cascadeContinuesAfterHeal'],
    },
    {
      name: 'clients-back-off',
      architecture: 'p2p',
      sabotages: 'clients back off (full jitter, 30 s doubling to 120 s): the network heals without the remedy',
      set: { 'load.reconnect': { policy: 'backoff', baseMs: 30_000, capMs: 120_000 } },
      mustBreak: ['minCascadeAmplification', 'maxOnlineLowPoint', 'maxOnlineAfterLowPoint'],
    },
    {
      name: 'peers-run-fixed-client',
      architecture: 'p2p',
      sabotages: 'every peer runs the fixed client 5.0.0.156, so no supernode meets the bug',
      set: { 'architectures.p2p.topology.peerVersionMix': { '5.0.0.156': 1 } },
      mustBreak: ['supernodeLossDirect', 'minCascadeAmplification'],
    },
  ],
});
