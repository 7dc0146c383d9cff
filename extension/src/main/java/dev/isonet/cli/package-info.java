/** The command line: {@code doctor} checks a machine and builds a network on it. The benchmark is in isonet-bench. */
package dev.isonet.cli;
