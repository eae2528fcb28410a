/** Labels on the images setup builds, so a later setup (and the doctor) can tell what they are. */
export const ImageLabel = {
  offlineBuild: 'org.supernode-chaos.offline-build',
  source: 'org.supernode-chaos.source',
  bundleSha256: 'org.supernode-chaos.bundle-sha256',
  nodeImageId: 'org.supernode-chaos.node-image-id',
} as const;

export type ImageRole = 'toxiproxy' | 'nodeBase' | 'services';

export const imageRoles: readonly ImageRole[] = ['toxiproxy', 'nodeBase', 'services'];

export const imageRoleTitle: Record<ImageRole, string> = {
  toxiproxy: 'toxiproxy image',
  nodeBase: 'node base image',
  services: 'services image',
};
