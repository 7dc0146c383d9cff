/** Not API. What Isonet keeps of started processes (their output, line by line) and how it waits for things. */
package dev.isonet.internal.process;
