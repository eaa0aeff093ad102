package com.zed.dsl;

import com.zed.model.Field;
import com.zed.model.Problem;
import com.zed.model.SecretRef;
import com.zed.model.SourcePos;
import com.zed.zfs.InvalidNameException;
import com.zed.zfs.PoolName;
import groovy.lang.Closure;
import groovy.lang.DelegatesTo;
import groovy.lang.Script;
import groovy.transform.NamedParam;
import groovy.transform.NamedParams;

import java.util.Map;

/** The base class of every deploy script: its top-level verbs. */
public abstract class DeployScript extends Script {
    ScriptState zedState;

    /** Declares the deploy: its name, the pool it owns, and a block of datasets, apps and policies. */
    @Usage("deploy('name', pool: 'tank') { ... }")
    public void deploy(@NamedParams({@NamedParam(value = "pool", type = String.class, required = true)})
                       Map<String, Object> options, String name,
                       @DelegatesTo(value = DeployBlock.class, strategy = Closure.DELEGATE_ONLY) Closure<?> body) {
        ScriptState s = zedState;
        SourcePos pos = s.pos("deploy");
        if (s.deploy != null) {
            // The one rule outside the Validator: a Deployment is one deploy, it cannot hold a second.
            s.problem(pos, Field.of("deploy"), Problem.Kind.DUPLICATE,
                    "a script declares one deploy; the first is at line " + s.deploy.pos.line());
            return;
        }
        Object poolArg = options.get("pool");
        String poolName = poolArg == null ? null : poolArg.toString();
        PoolName pool = null;
        try {
            pool = PoolName.of(poolName);
        } catch (InvalidNameException e) {
            // the Validator reports it, from the name recorded below
        }
        s.deploy = new DeployBlock(s, name, pool, pos);
        s.deploy.declared.add(Field.of("pool"), s.named(pos, "pool"), poolName);
        Blocks.run(body, s.deploy);
    }

    /** A secret read from the environment variable {@code name} when the deploy is applied, never at load. */
    @Usage("env('NAME')")
    public SecretRef env(String name) {
        return new SecretRef.Env(name);
    }

    /** A secret read from {@code path} when the deploy is applied, never at load. */
    @Usage("file('/path/to/secret')")
    public SecretRef file(String path) {
        return new SecretRef.File(path);
    }
}
