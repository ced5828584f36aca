package io.modelwire.client.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ContainerNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.modelwire.client.errors.ErrorInfo;
import io.modelwire.client.errors.InvalidInputException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Calendar;
import java.util.Collection;
import java.util.Date;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The caller's prediction data as a JSON tree, checked against the value domain of
 * docs/semantics.md ("What the SDKs check before sending"): a {@code Map<String, ?>} (or an
 * {@code ObjectNode}) whose values are maps with String keys, Lists, arrays, Strings, finite
 * Integer/Long/Short/Byte/Float/Double/BigInteger/BigDecimal, Booleans, nulls or Jackson nodes of
 * those, nested at most {@code maxDepth} levels (the outer object is level 1). Anything else is
 * InvalidInputException {@code INVALID_INPUT} naming the path ({@code data.items[2]}): dates, sets,
 * bytes, functions, Optionals, records and other class instances (convert them to a Map first). The
 * walk keeps its own stack, so a deep or circular input is reported as too deep, never a
 * StackOverflowError.
 *
 * <pre>{@code JsonNode tree = DataTree.of(Map.of("amount", 129.5, "items", List.of(1, 2)), 100); }</pre>
 */
public final class DataTree {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final Pattern PLAIN_KEY = Pattern.compile("[A-Za-z_$][A-Za-z0-9_$]*");

  private DataTree() {}

  /**
   * Converts and checks.
   *
   * <pre>{@code DataTree.of(Map.of("amount", 1), 100) // {"amount":1} }</pre>
   *
   * @param data the caller's data
   * @param maxDepth the deepest nesting allowed (max_json_depth)
   * @return the tree (an object)
   * @throws InvalidInputException (INVALID_INPUT) when data is not a JSON object of JSON values
   */
  public static ObjectNode of(Object data, int maxDepth) {
    if (!(data instanceof Map<?, ?>) && !(data instanceof ObjectNode)) {
      throw invalid("data must be a JSON object (a Map<String, ?>), got " + describe(data));
    }
    ObjectNode root = NODES.objectNode();
    List<Frame> stack = new ArrayList<>();
    stack.add(Frame.of(data, root));
    while (!stack.isEmpty()) {
      Frame top = stack.get(stack.size() - 1);
      if (!top.advance()) {
        stack.remove(stack.size() - 1);
        continue;
      }
      if (top.object != null && top.key == null) {
        throw invalid(path(stack.subList(0, stack.size() - 1), Integer.MAX_VALUE) + ": a map key of type "
            + (top.rawKey == null ? "null" : top.rawKey.getClass().getSimpleName()) + " (" + top.rawKey + ") is not a JSON object key; use String keys");
      }
      Object value = top.value;
      JsonNode leaf = leaf(value, stack);
      if (leaf != null) {
        top.put(leaf);
        continue;
      }
      // value is a container: it opens one more level
      if (stack.size() + 1 > maxDepth) {
        throw invalid("data is nested too deep: more than " + maxDepth + " levels (maxJsonDepth) at "
            + path(stack, 4) + "; a circular structure is reported so too");
      }
      if (value instanceof Map<?, ?> || value instanceof ObjectNode || value instanceof Iterable<?>
          || value instanceof Object[]) {
        ContainerNode<?> child = value instanceof Map<?, ?> || value instanceof ObjectNode
            ? NODES.objectNode() : NODES.arrayNode();
        top.put(child);
        stack.add(Frame.of(value, child));
      } else {
        top.put(primitiveArray(value, stack));
      }
    }
    return root;
  }

  /** A scalar's node, null for a container (map, list, array, object/array node), or the refusal. */
  private static JsonNode leaf(Object v, List<Frame> stack) {
    if (v == null) return NODES.nullNode();
    if (v instanceof String s) return NODES.textNode(s);
    if (v instanceof Boolean b) return NODES.booleanNode(b);
    if (v instanceof Integer n) return NODES.numberNode(n);
    if (v instanceof Long n) return NODES.numberNode(n);
    if (v instanceof Double d) return NODES.numberNode(finite(d, stack));
    if (v instanceof Map<?, ?> || v instanceof List<?> || v instanceof Object[]) return null;
    if (v instanceof Float f) return NODES.numberNode((float) finite(f, stack));
    if (v instanceof Short n) return NODES.numberNode(n);
    if (v instanceof Byte n) return NODES.numberNode(n);
    if (v instanceof BigDecimal n) return NODES.numberNode(n);
    if (v instanceof BigInteger n) return NODES.numberNode(n);
    if (v instanceof JsonNode n) return node(n, stack);
    if (v instanceof int[] || v instanceof long[] || v instanceof double[] || v instanceof boolean[]
        || v instanceof short[] || v instanceof float[]) {
      return null;
    }
    throw notJson(v, stack);
  }

  /** An array of primitives (int, long, short, double, float, boolean): one level, scalars only. */
  private static ArrayNode primitiveArray(Object v, List<Frame> stack) {
    int n = java.lang.reflect.Array.getLength(v);
    ArrayNode out = NODES.arrayNode(n);
    if (v instanceof int[] a) for (int x : a) out.add(x);
    else if (v instanceof long[] a) for (long x : a) out.add(x);
    else if (v instanceof short[] a) for (short x : a) out.add(x);
    else if (v instanceof boolean[] a) for (boolean x : a) out.add(x);
    else if (v instanceof double[] a) for (int i = 0; i < n; i++) out.add(finite(a[i], stack, i));
    else if (v instanceof float[] a) for (int i = 0; i < n; i++) out.add((float) finite(a[i], stack, i));
    return out;
  }

  private static double finite(double d, List<Frame> stack, int index) {
    if (Double.isFinite(d)) return d;
    throw invalid(path(stack, Integer.MAX_VALUE) + "[" + index + "]: " + d + " is not a JSON value; send null or a string");
  }

  /** A Jackson node: containers are walked like maps and lists, scalars are checked. */
  private static JsonNode node(JsonNode n, List<Frame> stack) {
    if (n.isObject() || n.isArray()) return null;
    if (n.isNumber() && (n.isDouble() || n.isFloat())) finite(n.doubleValue(), stack);
    if (n.isValueNode() && !n.isBinary() && !n.isPojo()) return n;
    throw invalid(path(stack, Integer.MAX_VALUE) + ": a " + n.getNodeType() + " node is not a JSON value"
        + (n.isBinary() ? "; send bytes as a base64 string" : ""));
  }

  private static double finite(double d, List<Frame> stack) {
    if (Double.isFinite(d)) return d;
    throw invalid(path(stack, Integer.MAX_VALUE) + ": " + d + " is not a JSON value; send null or a string");
  }

  private static InvalidInputException notJson(Object v, List<Frame> stack) {
    String at = path(stack, Integer.MAX_VALUE) + ": ";
    String why;
    if (v instanceof java.time.temporal.TemporalAccessor || v instanceof Date || v instanceof Calendar) {
      why = "a date (" + v.getClass().getSimpleName() + ") is not a JSON value; send an ISO-8601 string";
    } else if (v instanceof byte[]) {
      why = "bytes are not a JSON value; send a base64 string";
    } else if (v instanceof Set<?>) {
      why = "a Set is not a JSON value; send a List";
    } else if (v instanceof Collection<?>) {
      why = article(v.getClass().getSimpleName()) + " is not a JSON value; send a List";
    } else if (v instanceof Optional<?>) {
      why = "an Optional is not a JSON value; send its value or null";
    } else if (isFunction(v.getClass())) {
      why = "a function is not a JSON value";
    } else if (v instanceof Number) {
      why = article(v.getClass().getSimpleName())
          + " is not a JSON value; send an Integer, Long, Double or BigDecimal";
    } else if (v.getClass().isRecord()) {
      why = "a record (" + v.getClass().getSimpleName() + ") is not a JSON value; convert it to a Map first";
    } else {
      why = article(v.getClass().isArray() ? v.getClass().getSimpleName() : v.getClass().getName())
          + " is not a JSON value; convert it to a Map, List, String, Number,"
          + " Boolean or null first";
    }
    return invalid(at + why);
  }

  // lambdas and method references are hidden classes implementing a functional interface
  private static boolean isFunction(Class<?> c) {
    if (c.isSynthetic() || c.isHidden() || Runnable.class.isAssignableFrom(c)) return true;
    for (Class<?> i : c.getInterfaces()) {
      if (i.isAnnotationPresent(FunctionalInterface.class)) return true;
    }
    return false;
  }

  private static String describe(Object data) {
    if (data == null) return "null";
    if (data instanceof JsonNode n) return "a JSON " + n.getNodeType().toString().toLowerCase(java.util.Locale.ROOT);
    return article(data.getClass().getSimpleName());
  }

  private static String article(String noun) {
    return ("AEIOU".indexOf(noun.isEmpty() ? 'x' : noun.charAt(0)) >= 0 ? "an " : "a ") + noun;
  }

  /** The path of the value the top frame is at, e.g. {@code data.items[2]}; at most {@code limit} steps. */
  private static String path(List<Frame> stack, int limit) {
    StringBuilder sb = new StringBuilder("data");
    int shown = 0;
    for (Frame f : stack) {
      if (shown++ == limit) {
        sb.append("…");
        break;
      }
      if (f.object != null) {
        if (PLAIN_KEY.matcher(f.key).matches()) sb.append('.').append(f.key);
        else {
          sb.append('[');
          CanonicalJson.string(f.key, sb);
          sb.append(']');
        }
      } else {
        sb.append('[').append(f.index).append(']');
      }
    }
    return sb.toString();
  }

  private static InvalidInputException invalid(String message) {
    return new InvalidInputException(ErrorInfo.of("INVALID_INPUT", message));
  }

  /** One open container: where its members come from, where they go, and which member is current. */
  private static final class Frame {
    private final Iterator<?> members; // Map.Entry for objects, elements for arrays
    private final ObjectNode object; // null for arrays
    private final ArrayNode array; // null for objects
    private String key; // the current member's key (objects), null when it is not a String
    private Object rawKey; // the current member's key as given
    private int index = -1; // the current element's index (arrays)
    private Object value;

    private Frame(Iterator<?> members, ObjectNode object, ArrayNode array) {
      this.members = members;
      this.object = object;
      this.array = array;
    }

    static Frame of(Object source, ContainerNode<?> target) {
      Iterator<?> it;
      if (source instanceof Map<?, ?> m) it = m.entrySet().iterator();
      else if (source instanceof ObjectNode o) it = o.fields();
      else if (source instanceof Iterable<?> l) it = l.iterator(); // List or ArrayNode
      else it = java.util.Arrays.asList((Object[]) source).iterator();
      return target instanceof ObjectNode o ? new Frame(it, o, null) : new Frame(it, null, (ArrayNode) target);
    }

    /** Moves to the next member; false when there is none. */
    boolean advance() {
      if (!members.hasNext()) return false;
      Object next = members.next();
      if (object == null) {
        index++;
        value = next;
        return true;
      }
      Map.Entry<?, ?> e = (Map.Entry<?, ?>) next;
      rawKey = e.getKey();
      key = rawKey instanceof String k ? k : null;
      value = e.getValue();
      return true;
    }

    void put(JsonNode node) {
      if (object != null) object.set(key, node);
      else array.add(node);
    }
  }
}
