package io.metergate.load;

/** Reads one metric from a Prometheus text exposition: the sum of all its series, or NaN if absent. */
final class Prometheus {
  private Prometheus() {}

  static double value(String exposition, String name) {
    double sum = 0;
    boolean found = false;
    for (String line : exposition.split("\n")) {
      if (!line.startsWith(name) || line.length() <= name.length()) {
        continue;
      }
      char next = line.charAt(name.length());
      String rest;
      if (next == '{') {
        rest = line.substring(line.lastIndexOf('}') + 1);
      } else if (next == ' ') {
        rest = line.substring(name.length());
      } else {
        continue; // another metric whose name starts with this one
      }
      String[] fields = rest.trim().split("\\s+"); // value [timestamp]
      sum += Double.parseDouble(fields[0]);
      found = true;
    }
    return found ? sum : Double.NaN;
  }
}
