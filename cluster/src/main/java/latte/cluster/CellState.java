package latte.cluster;

/**
 * Where a cell stands on the job board (the coordinator's map): queued, running on a member, done
 * or failed. Every change is a compare-and-set of the whole value, so two members never both
 * take a cell, and a member that lost its cell (its owner was presumed dead) notices.
 *
 * @param owner   the member's UUID while running, else ""
 * @param where   the member's HOST:PORT while running (for progress lines), else ""
 * @param attempt how many times the cell was taken (a re-run after a lost member counts)
 * @param message why it failed, or what happened last (re-queued after a member left)
 */
public record CellState(Cell cell, Status status, String owner, String where, int attempt, String message) {
    public enum Status { QUEUED, RUNNING, DONE, FAILED }

    public static CellState queued(Cell cell) {
        return new CellState(cell, Status.QUEUED, "", "", 0, "");
    }

    public CellState running(String member, String address) {
        return new CellState(cell, Status.RUNNING, member, address, attempt + 1, "");
    }

    public CellState requeued(String why) {
        return new CellState(cell, Status.QUEUED, "", "", attempt, why);
    }

    public CellState done() {
        return new CellState(cell, Status.DONE, owner, where, attempt, "");
    }

    public CellState failed(String why) {
        return new CellState(cell, Status.FAILED, owner, where, attempt, why);
    }

    public boolean finished() {
        return status == Status.DONE || status == Status.FAILED;
    }
}
