package io.millrace.quorum;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.lang.reflect.WildcardType;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.Uuid;

/**
 * A reflective binary codec for Java records: controller commands, their replies and the
 * quorum's own messages travel between nodes in this form.
 *
 * <p>Format, driven by each component's declared (generic) type, never by type names in the
 * bytes: primitives as {@link DataOutputStream} writes them; every reference value is preceded
 * by a presence byte (0 = null); strings as length + UTF-8; {@link Uuid}s as two longs; enums
 * by constant name; lists as count + elements; maps as count + key/value pairs; byte arrays as
 * length + bytes; records as their components in declaration order; a sealed interface of
 * records as the permitted subclass's simple name, then the record.
 *
 * <p>Only records in packages {@code io.millrace.*} are ever constructed: decoding (and
 * encoding) any other record class is refused. Stateless and thread-safe.
 */
public final class RecordCodec {
    private static final String ALLOWED_PACKAGE_PREFIX = "io.millrace.";
    private static final Set<Class<?>> BOXES = Set.of(Integer.class, Long.class, Short.class, Byte.class,
            Boolean.class, Double.class, Float.class, Character.class);

    private static final ClassValue<Constructor<?>> CANONICAL = new ClassValue<>() {
        @Override
        protected Constructor<?> computeValue(Class<?> type) {
            RecordComponent[] components = type.getRecordComponents();
            Class<?>[] parameterTypes = new Class<?>[components.length];
            for (int i = 0; i < components.length; i++) {
                parameterTypes[i] = components[i].getType();
            }
            try {
                Constructor<?> constructor = type.getDeclaredConstructor(parameterTypes);
                constructor.setAccessible(true);
                return constructor;
            } catch (NoSuchMethodException e) {
                throw new IllegalArgumentException("Record " + type.getName() + " has no canonical constructor", e);
            }
        }
    };

    private RecordCodec() {
    }

    /** Encodes {@code record}, which must be a record of package {@code io.millrace.*}. */
    public static byte[] encode(Object record) {
        if (record == null) {
            throw new IllegalArgumentException("Cannot encode null as a top-level record");
        }
        checkAllowedRecord(record.getClass());
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(128);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            writeRecord(out, record);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** Decodes bytes made by {@link #encode} for a record of class {@code type}. */
    public static <T> T decode(Class<T> type, byte[] data) {
        checkAllowedRecord(type);
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(data))) {
            T value = type.cast(readRecord(in, type));
            if (in.available() > 0) {
                throw new IllegalArgumentException(in.available() + " trailing bytes after " + type.getName());
            }
            return value;
        } catch (IOException e) {
            throw new IllegalArgumentException("Malformed encoding of " + type.getName(), e);
        }
    }

    /**
     * Loads (without initializing) the record class {@code className} if it is a record of
     * package {@code io.millrace.*} assignable to {@code expected}; refuses anything else.
     */
    public static <T> Class<? extends T> allowedRecordClass(String className, Class<T> expected) {
        if (className == null || !className.startsWith(ALLOWED_PACKAGE_PREFIX)) {
            throw new IllegalArgumentException("Refusing to decode class " + className);
        }
        try {
            Class<?> type = Class.forName(className, false, RecordCodec.class.getClassLoader());
            if (!type.isRecord() || !expected.isAssignableFrom(type)) {
                throw new IllegalArgumentException(className + " is not a record implementing " + expected.getName());
            }
            return type.asSubclass(expected);
        } catch (ClassNotFoundException e) {
            throw new IllegalArgumentException("Unknown class " + className, e);
        }
    }

    private static void checkAllowedRecord(Class<?> type) {
        if (!type.isRecord() || !type.getName().startsWith(ALLOWED_PACKAGE_PREFIX)) {
            throw new IllegalArgumentException("Only records of io.millrace.* are supported, not " + type.getName());
        }
    }

    private static void writeRecord(DataOutputStream out, Object record) throws IOException {
        for (RecordComponent component : record.getClass().getRecordComponents()) {
            Object value;
            try {
                value = component.getAccessor().invoke(record);
            } catch (IllegalAccessException | InvocationTargetException e) {
                throw new IllegalArgumentException("Cannot read " + component, e);
            }
            writeValue(out, component.getGenericType(), value);
        }
    }

    private static Object readRecord(DataInputStream in, Class<?> type) throws IOException {
        RecordComponent[] components = type.getRecordComponents();
        Object[] values = new Object[components.length];
        for (int i = 0; i < components.length; i++) {
            values[i] = readValue(in, components[i].getGenericType());
        }
        try {
            return CANONICAL.get(type).newInstance(values);
        } catch (InstantiationException | IllegalAccessException e) {
            throw new IllegalArgumentException("Cannot construct " + type.getName(), e);
        } catch (InvocationTargetException e) {
            throw new IllegalArgumentException("Constructor of " + type.getName() + " refused the values",
                    e.getCause());
        }
    }

    private static void writeValue(DataOutputStream out, Type type, Object value) throws IOException {
        Class<?> raw = rawClass(type);
        if (raw.isPrimitive()) {
            writePrimitive(out, raw, value);
            return;
        }
        out.writeBoolean(value != null);
        if (value == null) {
            return;
        }
        if (BOXES.contains(raw)) {
            writePrimitive(out, raw, value);
        } else if (raw == String.class) {
            byte[] utf8 = ((String) value).getBytes(StandardCharsets.UTF_8);
            out.writeInt(utf8.length);
            out.write(utf8);
        } else if (raw == Uuid.class) {
            Uuid id = (Uuid) value;
            out.writeLong(id.getMostSignificantBits());
            out.writeLong(id.getLeastSignificantBits());
        } else if (raw == byte[].class) {
            byte[] bytes = (byte[]) value;
            out.writeInt(bytes.length);
            out.write(bytes);
        } else if (raw.isEnum()) {
            writeValue(out, String.class, ((Enum<?>) value).name());
        } else if (List.class.isAssignableFrom(raw)) {
            Type element = typeArgument(type, 0);
            List<?> list = (List<?>) value;
            out.writeInt(list.size());
            for (Object item : list) {
                writeValue(out, element, item);
            }
        } else if (Map.class.isAssignableFrom(raw)) {
            Type keyType = typeArgument(type, 0);
            Type valueType = typeArgument(type, 1);
            Map<?, ?> map = (Map<?, ?>) value;
            out.writeInt(map.size());
            for (Map.Entry<?, ?> entry : map.entrySet()) {
                writeValue(out, keyType, entry.getKey());
                writeValue(out, valueType, entry.getValue());
            }
        } else if (raw.isRecord()) {
            checkAllowedRecord(raw);
            writeRecord(out, value);
        } else if (raw.isSealed() && raw.isInterface()) {
            Class<?> concrete = value.getClass();
            checkAllowedRecord(concrete);
            writeValue(out, String.class, concrete.getSimpleName());
            writeRecord(out, value);
        } else {
            throw new IllegalArgumentException("Unsupported component type " + type.getTypeName());
        }
    }

    private static Object readValue(DataInputStream in, Type type) throws IOException {
        Class<?> raw = rawClass(type);
        if (raw.isPrimitive()) {
            return readPrimitive(in, raw);
        }
        if (!in.readBoolean()) {
            return null;
        }
        if (BOXES.contains(raw)) {
            return readPrimitive(in, raw);
        } else if (raw == String.class) {
            return new String(readBytes(in), StandardCharsets.UTF_8);
        } else if (raw == Uuid.class) {
            return new Uuid(in.readLong(), in.readLong());
        } else if (raw == byte[].class) {
            return readBytes(in);
        } else if (raw.isEnum()) {
            return enumConstant(raw, (String) readValue(in, String.class));
        } else if (List.class.isAssignableFrom(raw)) {
            Type element = typeArgument(type, 0);
            int size = readCount(in);
            List<Object> list = new ArrayList<>(size);
            for (int i = 0; i < size; i++) {
                list.add(readValue(in, element));
            }
            return Collections.unmodifiableList(list);
        } else if (Map.class.isAssignableFrom(raw)) {
            Type keyType = typeArgument(type, 0);
            Type valueType = typeArgument(type, 1);
            int size = readCount(in);
            Map<Object, Object> map = new LinkedHashMap<>();
            for (int i = 0; i < size; i++) {
                Object key = readValue(in, keyType);
                map.put(key, readValue(in, valueType));
            }
            return Collections.unmodifiableMap(map);
        } else if (raw.isRecord()) {
            checkAllowedRecord(raw);
            return readRecord(in, raw);
        } else if (raw.isSealed() && raw.isInterface()) {
            String simpleName = (String) readValue(in, String.class);
            return readRecord(in, permittedRecord(raw, simpleName));
        }
        throw new IllegalArgumentException("Unsupported component type " + type.getTypeName());
    }

    private static void writePrimitive(DataOutputStream out, Class<?> type, Object value) throws IOException {
        if (type == int.class || type == Integer.class) {
            out.writeInt((Integer) value);
        } else if (type == long.class || type == Long.class) {
            out.writeLong((Long) value);
        } else if (type == short.class || type == Short.class) {
            out.writeShort((Short) value);
        } else if (type == byte.class || type == Byte.class) {
            out.writeByte((Byte) value);
        } else if (type == boolean.class || type == Boolean.class) {
            out.writeBoolean((Boolean) value);
        } else if (type == double.class || type == Double.class) {
            out.writeDouble((Double) value);
        } else if (type == float.class || type == Float.class) {
            out.writeFloat((Float) value);
        } else if (type == char.class || type == Character.class) {
            out.writeChar((Character) value);
        } else {
            throw new IllegalArgumentException("Unsupported primitive " + type);
        }
    }

    private static Object readPrimitive(DataInputStream in, Class<?> type) throws IOException {
        if (type == int.class || type == Integer.class) {
            return in.readInt();
        } else if (type == long.class || type == Long.class) {
            return in.readLong();
        } else if (type == short.class || type == Short.class) {
            return in.readShort();
        } else if (type == byte.class || type == Byte.class) {
            return in.readByte();
        } else if (type == boolean.class || type == Boolean.class) {
            return in.readBoolean();
        } else if (type == double.class || type == Double.class) {
            return in.readDouble();
        } else if (type == float.class || type == Float.class) {
            return in.readFloat();
        } else if (type == char.class || type == Character.class) {
            return in.readChar();
        }
        throw new IllegalArgumentException("Unsupported primitive " + type);
    }

    private static byte[] readBytes(DataInputStream in) throws IOException {
        byte[] bytes = new byte[readCount(in)];
        in.readFully(bytes);
        return bytes;
    }

    private static int readCount(DataInputStream in) throws IOException {
        int count = in.readInt();
        if (count < 0 || count > in.available()) {
            // every element takes at least one byte: a larger count is corrupt, not a huge allocation
            throw new IOException("Invalid element count " + count);
        }
        return count;
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static Object enumConstant(Class<?> type, String name) {
        return Enum.valueOf((Class) type, name);
    }

    private static Class<?> permittedRecord(Class<?> sealed, String simpleName) {
        for (Class<?> permitted : sealed.getPermittedSubclasses()) {
            if (permitted.getSimpleName().equals(simpleName)) {
                checkAllowedRecord(permitted);
                return permitted;
            }
        }
        throw new IllegalArgumentException(simpleName + " is not permitted by " + sealed.getName());
    }

    private static Class<?> rawClass(Type type) {
        if (type instanceof Class<?> c) {
            return c;
        } else if (type instanceof ParameterizedType p) {
            return (Class<?>) p.getRawType();
        } else if (type instanceof WildcardType w) {
            return rawClass(w.getUpperBounds()[0]);
        }
        throw new IllegalArgumentException("Unsupported component type " + type.getTypeName());
    }

    private static Type typeArgument(Type type, int index) {
        if (type instanceof ParameterizedType p) {
            Type argument = p.getActualTypeArguments()[index];
            return argument instanceof WildcardType w ? w.getUpperBounds()[0] : argument;
        } else if (type instanceof WildcardType w) {
            return typeArgument(w.getUpperBounds()[0], index);
        }
        throw new IllegalArgumentException("Raw collection type without element type: " + type.getTypeName());
    }
}
