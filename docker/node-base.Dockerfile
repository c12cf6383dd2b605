# A stand-in for the official node:20-bookworm-slim image, for machines that cannot reach Docker
# Hub (see DEVELOPERS.md): a debootstrapped Debian bookworm (`local/debian`) plus this machine's
# Node, npm and CA bundle, and the `node` user (uid/gid 1000) the official image has.
# docker/test-containers.sh builds it from a context holding those three copies:
#
#   node  npm/  ca-certificates.crt
#
# and passes it to docker/Dockerfile as --build-arg NODE_IMAGE=local/node-base.
FROM local/debian:bookworm
COPY node /usr/local/bin/node
COPY npm /usr/local/lib/node_modules/npm
COPY ca-certificates.crt /etc/ssl/certs/ca-certificates.crt
RUN ln -s ../lib/node_modules/npm/bin/npm-cli.js /usr/local/bin/npm \
 && ln -s ../lib/node_modules/npm/bin/npx-cli.js /usr/local/bin/npx \
 && groupadd --gid 1000 node \
 && useradd --uid 1000 --gid node --shell /bin/bash --create-home node \
 && rm -rf /var/cache/apt/archives/*.deb /var/lib/apt/lists/* /usr/share/doc /usr/share/man \
 && node --version && npm --version
# The npm registry is reached through a TLS proxy whose CA is in this bundle.
ENV NODE_EXTRA_CA_CERTS=/etc/ssl/certs/ca-certificates.crt \
    npm_config_cafile=/etc/ssl/certs/ca-certificates.crt
CMD ["node"]
