/** The command line: {@code doctor} checks a machine, {@code bench} measures what a network costs. */
package dev.isonet.cli;
