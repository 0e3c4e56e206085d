package io.imgtool.images;

import io.imgtool.image.Format;

/**
 * What {@code push} is asked to do.
 *
 * @param name a local image: name, image ID or ID prefix
 * @param destination where to push, or null for {@code name} itself
 * @param format the manifest format to push, or null for the image's own (its exact bytes)
 * @param jobs blobs uploaded at once
 * @param retries retries of a failed step, or -1 for the default
 */
public record PushRequest(String name, String destination, Format format, int jobs, int retries) {}
