package io.candles.query.api;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * The body of every error answer.
 *
 * @param parameter the request parameter at fault, or null
 * @param value     what the request gave for it, or null when it was missing
 */
@Schema(name = "Error", description = "Why a request was refused")
public record ApiError(int status, String error, String parameter, String value, String message) {
}
