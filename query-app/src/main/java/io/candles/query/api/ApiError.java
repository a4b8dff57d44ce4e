package io.candles.query.api;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * The body of every error answer.
 *
 * @param parameter the request parameter at fault, or null
 * @param value     what the request gave for it, or null when it was missing
 */
@Schema(name = "Error", description = "Why a request was refused")
// Written by Jackson from the exception mappers, which Quarkus does not scan for types: kept for the native image.
@RegisterForReflection
public record ApiError(int status, String error, String parameter, String value, String message) {
}
