package io.ulm.segment;

/**
 * A segment definition that cannot be used, located in its file: the message is
 * {@code <file>:<line>:<column>: <problem>}, the form editors and CI logs link to.
 */
public final class DefinitionException extends RuntimeException {

    private final String file;
    private final int line;
    private final int column;
    private final String problem;

    public DefinitionException(String file, int line, int column, String problem) {
        super(file + ":" + line + ":" + column + ": " + problem);
        this.file = file;
        this.line = line;
        this.column = column;
        this.problem = problem;
    }

    public String file() {
        return file;
    }

    public int line() {
        return line;
    }

    public int column() {
        return column;
    }

    public String problem() {
        return problem;
    }
}
