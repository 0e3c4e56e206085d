/**
 * The operations users name — import, commit, pull, push, unpack, diff, tag, rmi, login — over
 * local images that know their own manifest and index bytes, their format and where each layer's
 * bytes are (the store, or the registry repository a lazy base came from). The one place where
 * the engines (store, registry, layer, mutate) are combined; the CLI only parses, calls and
 * prints.
 */
package io.imgtool.images;
